#!/usr/bin/env bash
# The collector as a node agent under podman: the host's pid namespace, not privileged, the capabilities of
# docs/deploy.md, health on :13133, self-telemetry on :8888 and CPU time per container on :9464 (host network).
#   examples/node-agent/podman-run.sh      (as root; build the image first, docs/deploy.md)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
seccomp="$(mktemp --suffix=.json)"
"$here/../seccomp-with-bpf.py" >"$seccomp"
podman run -d --name collector-node-agent --pid host --network host \
  --cap-drop ALL --cap-add BPF,PERFMON,SYS_PTRACE,DAC_READ_SEARCH,CHECKPOINT_RESTORE,SYSLOG \
  --security-opt "seccomp=$seccomp" --security-opt no-new-privileges \
  -e GATEWAY_ENDPOINT="${GATEWAY_ENDPOINT:-localhost:4317}" -e GATEWAY_INSECURE=true \
  -v "$here/collector.yaml:/etc/collector/node-agent.yaml:ro" \
  "${COLLECTOR_IMAGE:-localhost/collector}" --config /etc/collector/node-agent.yaml
