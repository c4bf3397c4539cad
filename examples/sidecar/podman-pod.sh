#!/usr/bin/env bash
# A workload and the collector as its sidecar in one podman pod that shares the pid namespace (as Kubernetes'
# shareProcessNamespace does). The collector is not privileged: a non-root user with the capabilities below (podman
# puts them in its ambient set) and a seccomp profile that lets CAP_BPF/CAP_PERFMON make the bpf and perf calls.
#   examples/sidecar/podman-pod.sh WORKLOAD_IMAGE [COMMAND...]     (as root; build the image first, docs/deploy.md)
# Environment: COLLECTOR_IMAGE (default localhost/collector), GATEWAY_ENDPOINT (default host.containers.internal:4317,
# the gateway of examples/gateway/podman-run.sh on this host), POD (default profiled).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
workload_image="${1:?usage: $0 WORKLOAD_IMAGE [COMMAND...]}"; shift
pod="${POD:-profiled}"
seccomp="$(mktemp --suffix=.json)"
"$here/../seccomp-with-bpf.py" >"$seccomp"

podman pod create --name "$pod" --share pid,ipc,uts,net
podman run -d --pod "$pod" --name "$pod-workload" "$workload_image" "$@"
podman run -d --pod "$pod" --name "$pod-collector" \
  --cap-drop ALL --cap-add BPF,PERFMON,SYS_PTRACE,DAC_READ_SEARCH,CHECKPOINT_RESTORE,SYSLOG \
  --security-opt "seccomp=$seccomp" --security-opt no-new-privileges \
  -e GATEWAY_ENDPOINT="${GATEWAY_ENDPOINT:-host.containers.internal:4317}" -e GATEWAY_INSECURE=true \
  -v "$here/collector.yaml:/etc/collector/sidecar.yaml:ro" \
  "${COLLECTOR_IMAGE:-localhost/collector}" --config /etc/collector/sidecar.yaml
echo "pod $pod: podman logs -f $pod-collector; stop with podman pod stop $pod (SIGTERM: nothing accepted is lost)"
