// extism-fetch: an Extism plugin that fetches its input (a URL) with Extism's http_request, through the
// official AssemblyScript PDK (@extism/as-pdk) and its declaration of the host function. No DataFlare
// manifest: DataFlare runs it as it is, and serves http_request only for hosts the stage is granted.
// The output is the response body; a status other than 2xx fails the call with the status as the error.
import { Host, Memory } from "@extism/as-pdk";
import { http_request, length } from "@extism/as-pdk/lib/env";

// Extism's host function for the last response's status (the 1.0.0 PDK does not declare it)
@external("extism:host/env", "http_status_code")
declare function http_status_code(): i32;

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {}

export function fetch(): i32 {
  const url = Host.inputString();
  const request = Memory.allocateString('{"url":"' + url + '","method":"GET","headers":{"accept":"text/plain"}}');
  const offset = http_request(request.offset, 0);
  const status = http_status_code();
  const body = offset == 0 ? "" : new Memory(offset, length(offset)).toString();
  if (status < 200 || status > 299) {
    Host.outputString("");
    return status;
  }
  Host.outputString(body);
  return 0;
}
