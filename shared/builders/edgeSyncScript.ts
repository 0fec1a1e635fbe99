// The edge sync script run on persistent edge VMs by VM Run Command v2 (attach / detach / switch), kept here as
// the single source: edgeRunCommand.ts sends it as `source.script`, tests write it to a file for bash and shellcheck.
// It is constant text: every value (cluster, hosts, packages, environment, the bundle SAS URL) arrives as a named or
// protected parameter, i.e. an environment variable, and is validated or quoted by the script itself.
// This file holds the script's frame (header, error handling, the root prefix, parameter validation and the main
// sequence); the functions that change the VM (bundle, packages, detach, attach) are in edgeSyncFunctions.ts.
import { EDGE_SYNC_FUNCTIONS } from "./edgeSyncFunctions";

/** Exit codes of the script, one per failure class (the activity maps them to errors). */
export const EDGE_EXIT_CODES = {
  ok: 0,
  badParameter: 2,
  apt: 3,
  bundleDownload: 4,
  bundleInvalid: 5,
  attachedElsewhere: 6,
  filesystem: 7,
  busy: 8,
  unexpected: 70,
} as const;

/** Prefix of the script's last stdout line; the rest of the line is a JSON object (EdgeSyncResult). */
export const EDGE_RESULT_PREFIX = "JOBFLOW_EDGE_RESULT=";

/** Directories under /etc whose `conf` link points at the attached cluster's copy. */
export const EDGE_CONFIG_SERVICES = ["hadoop", "hive", "spark3", "tez", "zookeeper"] as const;

/** Prefix of the named parameters that become variables in /etc/profile.d/jobflow.sh. */
export const EDGE_ENV_PARAMETER_PREFIX = "JF_ENV__";

export const EDGE_SYNC_SCRIPT = `#!/bin/bash
# Jobflow edge sync: attach a persistent edge VM to an HDInsight cluster, detach it, or switch clusters.
# Run by Azure VM Run Command v2 as root. Every input is an environment variable (a Run Command named or protected
# parameter); no value is ever spliced into this text. Source of truth: shared/builders/edgeSyncScript.ts.
#
# Inputs: JF_ACTION attach|detach|switch; JF_ROOT (prefix for every path, default /); JF_CLUSTER_NAME;
# JF_CLUSTER_VERSION; JF_ATTACHED_AT (ISO time, so reruns write identical files); JF_HEADNODE_IP; JF_HOSTS (extra
# "ip name..." lines); JF_BUNDLE_URL (protected: SAS URL of the client-config tar.gz); JF_APT_REPO_URL, JF_APT_SUITE,
# JF_APT_COMPONENTS, JF_APT_KEY (armored); JF_PACKAGES ("name=version" pins); JF_ENV__<KEY> (profile variables);
# JF_LOCK_WAIT_SECONDS (how long to wait for a concurrent sync on the same VM, default 600).
# Exit codes: 0 ok, 2 bad parameter, 3 apt failure, 4 bundle download failure, 5 bundle invalid,
# 6 attached to another cluster (use switch), 7 filesystem conflict, 8 another sync holds the lock, 70 unexpected.
# The last stdout line is JOBFLOW_EDGE_RESULT={...} for the caller to parse.
set -euo pipefail
umask 022
export LC_ALL=C
shopt -s lastpipe # "producer | replace_file" runs replace_file in this shell, so REPLACED is seen

readonly EXIT_BAD_PARAMETER=2 EXIT_APT=3 EXIT_BUNDLE_DOWNLOAD=4 EXIT_BUNDLE_INVALID=5
readonly EXIT_ATTACHED_ELSEWHERE=6 EXIT_FILESYSTEM=7 EXIT_BUSY=8 EXIT_UNEXPECTED=70
readonly SERVICES="hadoop hive spark3 tez zookeeper"
readonly HOSTS_BEGIN="# BEGIN jobflow cluster hosts (managed by Jobflow edge sync; do not edit)"
readonly HOSTS_END="# END jobflow cluster hosts"
readonly DENIED_ENV_KEYS=" PATH LD_PRELOAD LD_LIBRARY_PATH LD_AUDIT BASH_ENV ENV IFS PS4 SHELLOPTS BASHOPTS PROMPT_COMMAND HOME USER SHELL "

ACTION="\${JF_ACTION:-}"
CLUSTER=""
VERSION=""
RESULT_EMITTED=0
STAGE=""

emit_result() { # ok code message
  local cluster_json="null" version_json="null"
  [ -n "$CLUSTER" ] && cluster_json="\\"$CLUSTER\\""
  [ -n "$VERSION" ] && version_json="\\"$VERSION\\""
  RESULT_EMITTED=1
  printf 'JOBFLOW_EDGE_RESULT={"ok":%s,"action":"%s","code":"%s","cluster":%s,"version":%s,"changed":%s,"message":"%s"}\\n' \\
    "$1" "$ACTION_SAFE" "$2" "$cluster_json" "$version_json" "\${CHANGED:-false}" "$3"
}

die() { # exit-code code message (messages are fixed text: never user values)
  printf 'jobflow-edge: %s\\n' "$3" >&2
  emit_result false "$2" "$3"
  exit "$1"
}

on_exit() {
  local status=$?
  if [ -n "$STAGE" ]; then rm -rf -- "$STAGE"; fi
  if [ "$RESULT_EMITTED" = 0 ]; then
    printf 'jobflow-edge: unexpected failure (status %s)\\n' "$status" >&2
    emit_result false unexpected "unexpected failure"
    exit "$EXIT_UNEXPECTED"
  fi
}

case "$ACTION" in attach | detach | switch) ACTION_SAFE="$ACTION" ;; *) ACTION_SAFE="invalid" ;; esac
trap on_exit EXIT
[ "$ACTION_SAFE" != invalid ] || die "$EXIT_BAD_PARAMETER" bad-parameter "JF_ACTION must be attach, detach or switch"

# ---- root prefix: every path below is "$R/..." ("" when JF_ROOT is /) ----
ROOT_IN="\${JF_ROOT:-/}"
[[ "$ROOT_IN" == /* && "$ROOT_IN" != *[[:cntrl:]]* ]] || die "$EXIT_BAD_PARAMETER" bad-parameter "JF_ROOT must be an absolute path"
R="$ROOT_IN"
while [[ "$R" == */ ]]; do R="\${R%/}"; done
[ -d "$R/" ] || die "$EXIT_BAD_PARAMETER" bad-parameter "JF_ROOT is not a directory"
readonly R
readonly MARKER="$R/etc/jobflow/attached" CLUSTERS_DIR="$R/etc/jobflow/clusters"
readonly HOSTS_FILE="$R/etc/hosts" PROFILE_FILE="$R/etc/profile.d/jobflow.sh"
readonly APT_LIST="$R/etc/apt/sources.list.d/jobflow-hdinsight.list" APT_KEY="$R/etc/apt/trusted.gpg.d/jobflow-hdinsight.asc"

valid_cluster_name() { [[ "$1" =~ ^[a-z][a-z0-9-]{1,57}[a-z0-9]$ ]]; }

# ---- validation: everything is checked before anything changes ----
validate_attach_parameters() {
  CLUSTER="\${JF_CLUSTER_NAME:-}"
  valid_cluster_name "$CLUSTER" || { CLUSTER=""; die "$EXIT_BAD_PARAMETER" bad-parameter "JF_CLUSTER_NAME is not a valid cluster name"; }
  VERSION="\${JF_CLUSTER_VERSION:-}"
  [[ "$VERSION" =~ ^[0-9][0-9A-Za-z.+-]{0,63}$ ]] || { VERSION=""; die "$EXIT_BAD_PARAMETER" bad-parameter "JF_CLUSTER_VERSION is not a version"; }
  [[ "\${JF_ATTACHED_AT:-}" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,9})?Z$ ]] ||
    die "$EXIT_BAD_PARAMETER" bad-parameter "JF_ATTACHED_AT must be an ISO 8601 UTC time"
  [[ "\${JF_HEADNODE_IP:-}" =~ ^([0-9]{1,3}(\\.[0-9]{1,3}){3}|[0-9A-Fa-f]*:[0-9A-Fa-f:]+)$ ]] ||
    die "$EXIT_BAD_PARAMETER" bad-parameter "JF_HEADNODE_IP is not an IP address"
  local line
  while IFS= read -r line; do
    [ -z "$line" ] && continue
    [[ "$line" =~ ^[0-9A-Fa-f:.]+(\\ [A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?)+$ ]] ||
      die "$EXIT_BAD_PARAMETER" bad-parameter "JF_HOSTS lines must be: ip name [name...]"
  done <<<"\${JF_HOSTS:-}"
  [[ "\${JF_BUNDLE_URL:-}" =~ ^https://[^[:space:][:cntrl:]]+$ || "\${JF_BUNDLE_URL:-}" =~ ^http://(127\\.0\\.0\\.1|localhost)(:[0-9]+)?/[^[:space:][:cntrl:]]*$ ]] ||
    die "$EXIT_BAD_PARAMETER" bad-parameter "JF_BUNDLE_URL must be an https URL"
  if [ -n "\${JF_APT_REPO_URL:-}" ]; then
    [[ "$JF_APT_REPO_URL" =~ ^https?://[^[:space:][:cntrl:]]+$ ]] || die "$EXIT_BAD_PARAMETER" bad-parameter "JF_APT_REPO_URL must be an http(s) URL"
    [[ "\${JF_APT_SUITE:-}" =~ ^[A-Za-z0-9._/-]+$ && "\${JF_APT_SUITE:-}" != -* ]] || die "$EXIT_BAD_PARAMETER" bad-parameter "JF_APT_SUITE is invalid"
    [[ "\${JF_APT_COMPONENTS:-}" =~ ^[A-Za-z0-9._-]+(\\ [A-Za-z0-9._-]+)*$ ]] || die "$EXIT_BAD_PARAMETER" bad-parameter "JF_APT_COMPONENTS is invalid"
    [[ "\${JF_APT_KEY:-}" == "-----BEGIN PGP PUBLIC KEY BLOCK-----"* ]] || die "$EXIT_BAD_PARAMETER" bad-parameter "JF_APT_KEY must be an armored public key"
  fi
  PINS=()
  IFS=$' \\t\\n' read -r -d '' -a PINS <<<"\${JF_PACKAGES:-}" || true
  local pin
  for pin in "\${PINS[@]}"; do
    [[ "$pin" =~ ^[a-z0-9][a-z0-9+.-]+=[0-9A-Za-z][0-9A-Za-z.+~:-]*$ ]] || die "$EXIT_BAD_PARAMETER" bad-parameter "JF_PACKAGES entries must be name=version"
  done
  ENV_VARS=()
  local var key
  while IFS= read -r var; do
    [ -z "$var" ] && continue
    key="\${var#JF_ENV__}"
    [[ "$key" =~ ^[A-Za-z_][A-Za-z0-9_]{0,127}$ ]] || die "$EXIT_BAD_PARAMETER" bad-parameter "JF_ENV__ keys must be shell variable names"
    [[ "$DENIED_ENV_KEYS" != *" $key "* ]] || die "$EXIT_BAD_PARAMETER" bad-parameter "JF_ENV__ may not set PATH, loader or shell control variables"
    ENV_VARS+=("$var")
  done < <(compgen -e | grep '^JF_ENV__' | sort || true)
}

${EDGE_SYNC_FUNCTIONS}# ---- main ----
mkdir -p -- "$R/etc/jobflow"
exec 9>"$R/etc/jobflow/.lock"
LOCK_WAIT="\${JF_LOCK_WAIT_SECONDS:-600}"
[[ "$LOCK_WAIT" =~ ^[0-9]{1,5}$ ]] || die "$EXIT_BAD_PARAMETER" bad-parameter "JF_LOCK_WAIT_SECONDS must be a number of seconds"
flock -w "$LOCK_WAIT" 9 || die "$EXIT_BUSY" busy "another edge sync is running"
BEFORE="$(fingerprint)"
ATTACHED="$(read_marker_cluster)"
CHANGED=false

if [ "$ACTION" = detach ]; then
  CLUSTER="$ATTACHED"
  detach_cluster
else
  validate_attach_parameters
  if [ "$ACTION" = attach ] && [ -n "$ATTACHED" ] && [ "$ATTACHED" != "$CLUSTER" ]; then
    die "$EXIT_ATTACHED_ELSEWHERE" attached-elsewhere "the VM is attached to another cluster: use switch"
  fi
  fetch_bundle # before anything changes: a failed download leaves the current attachment in place
  install_packages
  if [ -n "$ATTACHED" ] && [ "$ATTACHED" != "$CLUSTER" ]; then detach_cluster; fi
  install_configs
  write_hosts_block
  write_profile
  write_marker
fi

if [ "$(fingerprint)" != "$BEFORE" ]; then CHANGED=true; fi
emit_result true ok "done"
`;
