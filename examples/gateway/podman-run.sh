#!/usr/bin/env bash
# The gateway under podman: OTLP on :4317 (gRPC) and :4318 (HTTP) of this host, forwarding to BACKEND_ENDPOINT.
# No eBPF: no capability at all, a non-root user. Health and self-telemetry on :13134 and :8889 (a node agent on
# this host has :13133 and :8888).
#   BACKEND_ENDPOINT=backend.example:4317 examples/gateway/podman-run.sh      (build the image first, docs/deploy.md)
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
podman run -d --name collector-gateway -p 4317:4317 -p 4318:4318 -p 13134:13133 -p 8889:8888 \
  --cap-drop ALL --security-opt no-new-privileges \
  -e BACKEND_ENDPOINT="${BACKEND_ENDPOINT:?the backend's host:port}" -e BACKEND_INSECURE="${BACKEND_INSECURE:-false}" \
  -v "$here/collector.yaml:/etc/collector/gateway.yaml:ro" \
  "${COLLECTOR_IMAGE:-localhost/collector}" --config /etc/collector/gateway.yaml
