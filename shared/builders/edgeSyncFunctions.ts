// The edge sync script's functions that change the VM — file helpers, the client-config bundle download and checks,
// the apt repository and pinned packages, detach, and attach's configs, conf links, hosts block, profile variables
// and marker — as bash text that edgeSyncScript.ts places between its validation and its main sequence (the
// script is one constant text; see there). Every value they use arrives as an environment variable.

export const EDGE_SYNC_FUNCTIONS = `# ---- small file helpers ----
REPLACED=0
replace_file() { # target; new content on stdin; sets REPLACED=1 when the file changed (unchanged files keep mtime)
  local target="$1" tmp
  REPLACED=0
  mkdir -p -- "$(dirname -- "$target")"
  tmp="$(mktemp -- "$target.jobflow-tmp.XXXXXX")"
  cat >"$tmp"
  if [ -f "$target" ] && cmp -s -- "$tmp" "$target"; then
    rm -f -- "$tmp"
    return 0
  fi
  chmod 0644 -- "$tmp"
  mv -f -- "$tmp" "$target"
  REPLACED=1
}

single_quote() { # POSIX sh single quoting, so /etc/profile (dash) and bash both read the value verbatim
  local s="$1"
  printf "'%s'" "\${s//\\'/\\'\\\\\\'\\'}"
}

read_marker_cluster() {
  local value=""
  if [ -f "$MARKER" ]; then value="$(sed -n 's/^cluster=//p' -- "$MARKER" | head -n 1)"; fi
  if valid_cluster_name "$value"; then printf '%s' "$value"; fi
}

fingerprint() { # a digest of everything this script manages, to report "changed"
  {
    cat -- "$MARKER" "$PROFILE_FILE" 2>/dev/null || true
    if [ -f "$HOSTS_FILE" ]; then awk -v b="$HOSTS_BEGIN" -v e="$HOSTS_END" '$0==b{on=1} on{print} $0==e{on=0}' "$HOSTS_FILE"; fi
    local svc
    for svc in $SERVICES; do readlink -- "$R/etc/$svc/conf" 2>/dev/null || true; done
    if [ -d "$CLUSTERS_DIR" ]; then (cd -- "$CLUSTERS_DIR" && find . -type f -exec cksum {} + | sort); fi
  } | cksum
}

# ---- the cluster's client configuration bundle ----
fetch_bundle() {
  STAGE="$(mktemp -d -- "$R/etc/jobflow/.staging.XXXXXX")"
  # The SAS URL goes to curl on stdin (a config line), not argv: argv is world-readable in /proc while curl runs.
  local url="\${JF_BUNDLE_URL//\\\\/\\\\\\\\}"
  url="\${url//\\"/\\\\\\"}"
  printf 'url = "%s"\\n' "$url" |
    curl --config - --globoff --fail --silent --show-error --proto '=https,http' --retry 3 --retry-delay 2 \\
      --connect-timeout 20 --max-time 600 --output "$STAGE/bundle.tar.gz" ||
    die "$EXIT_BUNDLE_DOWNLOAD" bundle-download "could not download the client-config bundle"
  local entries entry first
  entries="$(tar -tzf "$STAGE/bundle.tar.gz" 2>/dev/null)" || die "$EXIT_BUNDLE_INVALID" bundle-invalid "the bundle is not a tar.gz archive"
  while IFS= read -r entry; do
    entry="\${entry#./}"
    [ -z "$entry" ] && continue
    first="\${entry%%/*}"
    [[ "$entry" != /* && "/$entry/" != */../* && " $SERVICES " == *" $first "* ]] ||
      die "$EXIT_BUNDLE_INVALID" bundle-invalid "the bundle holds an entry outside <service>/ (hadoop hive spark3 tez zookeeper)"
  done <<<"$entries"
  mkdir -- "$STAGE/tree"
  tar -xzf "$STAGE/bundle.tar.gz" -C "$STAGE/tree" --no-same-owner --no-same-permissions ||
    die "$EXIT_BUNDLE_INVALID" bundle-invalid "the bundle could not be extracted"
  [ -z "$(find "$STAGE/tree" ! -type f ! -type d -print -quit)" ] ||
    die "$EXIT_BUNDLE_INVALID" bundle-invalid "the bundle holds links or special files"
  [ -d "$STAGE/tree/hadoop" ] || die "$EXIT_BUNDLE_INVALID" bundle-invalid "the bundle has no hadoop/ configuration"
  chmod -R u=rwX,go=rX -- "$STAGE/tree"
}

# ---- apt repository, key and pinned client packages (apt-key is gone from current apt: keyring file instead) ----
install_packages() {
  local repo_changed=1
  if [ -n "\${JF_APT_REPO_URL:-}" ]; then
    repo_changed=0
    printf 'deb %s %s %s\\n' "$JF_APT_REPO_URL" "$JF_APT_SUITE" "$JF_APT_COMPONENTS" | replace_file "$APT_LIST"
    if [ "$REPLACED" = 1 ]; then repo_changed=1; fi
    printf '%s\\n' "$JF_APT_KEY" | replace_file "$APT_KEY"
    if [ "$REPLACED" = 1 ]; then repo_changed=1; fi
  fi
  local pin name missing=()
  for pin in "\${PINS[@]}"; do
    name="\${pin%%=*}"
    [ "$(dpkg -s "$name" 2>/dev/null | sed -n 's/^Version: //p' || true)" = "\${pin#*=}" ] || missing+=("$pin")
  done
  [ "\${#missing[@]}" -gt 0 ] || return 0
  if [ "$repo_changed" = 1 ]; then apt-get update -q || die "$EXIT_APT" apt "apt-get update failed"; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends --allow-downgrades "\${missing[@]}" ||
    die "$EXIT_APT" apt "apt-get install of the pinned client packages failed"
}

# ---- detach: remove what attach added, keep everything else (home directories, data, results) ----
unlink_service() { # svc: remove a Jobflow conf link and give back the distribution's conf directory
  local link="$R/etc/$1/conf"
  if [ -L "$link" ] && [[ "$(readlink -- "$link")" == ../jobflow/clusters/* ]]; then rm -f -- "$link"; fi
  if [ ! -e "$link" ] && [ ! -L "$link" ] && [ -d "$link.jobflow-orig" ]; then mv -- "$link.jobflow-orig" "$link"; fi
}

detach_cluster() {
  local svc
  for svc in $SERVICES; do unlink_service "$svc"; done
  rm -rf -- "$CLUSTERS_DIR"
  if [ -f "$HOSTS_FILE" ] && grep -qxF -- "$HOSTS_BEGIN" "$HOSTS_FILE"; then
    local stripped
    stripped="$(awk -v b="$HOSTS_BEGIN" -v e="$HOSTS_END" '$0==b{skip=1;next} $0==e{skip=0;next} !skip' "$HOSTS_FILE")"
    # rewrite in place (not mv): /etc/hosts may be a bind mount
    if [ -n "$stripped" ]; then printf '%s\\n' "$stripped" >"$HOSTS_FILE"; else : >"$HOSTS_FILE"; fi
  fi
  rm -f -- "$PROFILE_FILE" "$MARKER"
}

# ---- attach: configs, conf links, hosts block, profile variables, marker ----
install_configs() {
  local dest="$CLUSTERS_DIR/$CLUSTER" svc link
  mkdir -p -- "$CLUSTERS_DIR"
  rm -rf -- "$dest.jobflow-new"
  mv -- "$STAGE/tree" "$dest.jobflow-new"
  rm -rf -- "$dest"
  mv -- "$dest.jobflow-new" "$dest"
  for svc in $SERVICES; do
    link="$R/etc/$svc/conf"
    if [ ! -d "$dest/$svc" ]; then unlink_service "$svc"; continue; fi
    mkdir -p -- "$R/etc/$svc"
    if [ -e "$link" ] && [ ! -L "$link" ]; then
      [ ! -e "$link.jobflow-orig" ] || die "$EXIT_FILESYSTEM" filesystem "a conf directory and its saved original both exist"
      mv -- "$link" "$link.jobflow-orig"
    fi
    ln -sfn -- "../jobflow/clusters/$CLUSTER/$svc" "$link"
  done
}

write_hosts_block() {
  local kept=""
  [ -f "$HOSTS_FILE" ] || { mkdir -p -- "$(dirname -- "$HOSTS_FILE")"; : >"$HOSTS_FILE"; }
  kept="$(awk -v b="$HOSTS_BEGIN" -v e="$HOSTS_END" '$0==b{skip=1;next} $0==e{skip=0;next} !skip' "$HOSTS_FILE")"
  {
    if [ -n "$kept" ]; then printf '%s\\n' "$kept"; fi
    printf '%s\\n' "$HOSTS_BEGIN"
    printf '%s headnodehost\\n' "$JF_HEADNODE_IP"
    local line
    while IFS= read -r line; do if [ -n "$line" ]; then printf '%s\\n' "$line"; fi; done <<<"\${JF_HOSTS:-}"
    printf '%s\\n' "$HOSTS_END"
  } >"$STAGE/hosts"
  cmp -s -- "$STAGE/hosts" "$HOSTS_FILE" || cat -- "$STAGE/hosts" >"$HOSTS_FILE"
}

write_profile() {
  local var
  {
    printf '# Managed by Jobflow edge sync: environment of the attached HDInsight cluster. Do not edit.\\n'
    printf 'export JOBFLOW_CLUSTER=%s\\n' "$(single_quote "$CLUSTER")"
    printf 'export JOBFLOW_CLUSTER_VERSION=%s\\n' "$(single_quote "$VERSION")"
    printf 'export HADOOP_CONF_DIR=%s\\n' "$(single_quote /etc/hadoop/conf)"
    printf 'export SPARK_CONF_DIR=%s\\n' "$(single_quote /etc/spark3/conf)"
    for var in "\${ENV_VARS[@]}"; do printf 'export %s=%s\\n' "\${var#JF_ENV__}" "$(single_quote "\${!var}")"; done
  } | replace_file "$PROFILE_FILE"
}

write_marker() {
  printf 'cluster=%s\\nversion=%s\\nattached_at=%s\\n' "$CLUSTER" "$VERSION" "$JF_ATTACHED_AT" | replace_file "$MARKER"
}

`;
