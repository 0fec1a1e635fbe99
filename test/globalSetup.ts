// Runs once before the whole suite: makes sure the tools the tests call exist (shellcheck is a Debian package).
import { ensureShellcheck } from "../scripts/ensureTools";

export default function setup(): void {
  ensureShellcheck();
}
