// extism-shout: a plugin written with Extism's official AssemblyScript PDK (@extism/as-pdk), not
// with anything of DataFlare's. "shout" answers its input in capitals followed by the config value
// "suffix" ("!" when unset); empty input fails the call.
import { Host, Config } from "@extism/as-pdk";

function myAbort(message: string | null, fileName: string | null, lineNumber: u32, columnNumber: u32): void {}

export function shout(): i32 {
  const name = Host.inputString();
  const suffix = Config.get("suffix");
  if (name.length == 0) {
    return 1;
  }
  Host.outputString(name.toUpperCase() + (suffix == null ? "!" : suffix));
  return 0;
}
