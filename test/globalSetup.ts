// Runs once before the whole suite: makes sure the tools the tests call exist (shellcheck and chromium are Debian
// packages) and that the console is built (console/dist, served by the app; rebuilt when its sources changed).
import { ensureConsoleBuilt } from "../scripts/ensureConsole";
import { ensureChromium, ensureShellcheck } from "../scripts/ensureTools";

export default function setup(): void {
  ensureShellcheck();
  ensureChromium();
  ensureConsoleBuilt();
}
