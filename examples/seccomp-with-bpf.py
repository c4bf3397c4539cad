#!/usr/bin/env python3
"""Writes a seccomp profile for the collector's container: the runtime's default profile, plus bpf() for a container
granted CAP_BPF and perf_event_open() for one granted CAP_PERFMON.

Default profiles of older runtimes (podman 4.3's containers-common among them) allow both calls only with
CAP_SYS_ADMIN, which the collector does not need; running it with seccomp=unconfined would lift the filter altogether.
The kernel still checks the capabilities themselves.

  examples/seccomp-with-bpf.py [/usr/share/containers/seccomp.json] > collector-seccomp.json
  podman run --security-opt seccomp=collector-seccomp.json --cap-add BPF,PERFMON ... collector
"""
import json
import sys

source = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/containers/seccomp.json"
with open(source, encoding="utf-8") as file:
    profile = json.load(file)
granting = {"bpf": "CAP_BPF", "perf_event_open": "CAP_PERFMON"}
rules = []
for rule in profile["syscalls"]:
    refused = [name for name in rule["names"] if name in granting]
    if rule["action"] == "SCMP_ACT_ALLOW" or not refused:
        rules.append(rule)
        continue
    # A refusal wins over an allowance of the same call, so the refusal itself must spare the granted capability.
    rest = [name for name in rule["names"] if name not in granting]
    if rest:
        rules.append({**rule, "names": rest})
    for name in refused:
        excludes = dict(rule.get("excludes") or {})
        excludes["caps"] = sorted(set(excludes.get("caps", [])) | {granting[name]})
        rules.append({**rule, "names": [name], "excludes": excludes})
for name, capability in granting.items():
    rules.append({"names": [name], "action": "SCMP_ACT_ALLOW", "includes": {"caps": [capability]}})
profile["syscalls"] = rules
json.dump(profile, sys.stdout, indent=1)
sys.stdout.write("\n")
