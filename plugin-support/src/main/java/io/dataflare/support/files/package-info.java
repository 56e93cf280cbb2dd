/** Input files: a source's {@code path} option, a file or a glob, expanded into the files it matches. */
package io.dataflare.support.files;
