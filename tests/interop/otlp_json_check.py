#!/usr/bin/python3
"""Reads the file exporter's JSON lines with the protobuf library's own JSON parser.

Usage: /usr/bin/python3 otlp_json_check.py PROTO_ROOT JSONL_FILE

Generates Python classes from our .proto files with `protoc --python_out` into a temporary directory, then
parses every non-blank line as an ExportProfilesServiceRequest with google.protobuf.json_format.Parse,
refusing unknown fields. Prints one line of totals over all records:

    records=N samples=N strings=N functions=N profile_ids=HEX,... trace_ids=HEX,...

Run it with /usr/bin/python3: Debian's python3-protobuf is installed for that interpreter only.
"""

import base64
import glob
import json
import os
import subprocess
import sys
import tempfile

# OTLP/JSON writes exactly these bytes fields as hex strings, where the proto3 JSON mapping that json_format
# implements expects base64 (OTLP specification, "JSON Protobuf Encoding"; the Collector also hex-encodes
# profileId). Every other bytes field is base64 in both, so only these are converted before parsing.
HEX_FIELDS = ("traceId", "spanId", "profileId")


def hex_to_base64(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key in HEX_FIELDS and isinstance(value, str):
                node[key] = base64.b64encode(bytes.fromhex(value)).decode("ascii")
            else:
                hex_to_base64(value)
    elif isinstance(node, list):
        for item in node:
            hex_to_base64(item)


def generate_classes(proto_root, out_dir):
    protos = sorted(glob.glob(os.path.join(proto_root, "**", "*.proto"), recursive=True))
    subprocess.run(["protoc", "-I" + proto_root, "--python_out=" + out_dir, *protos], check=True)


def main(proto_root, jsonl_path):
    with tempfile.TemporaryDirectory(prefix="otlp-python-") as out_dir:
        generate_classes(proto_root, out_dir)
        sys.path.insert(0, out_dir)
        from google.protobuf import json_format
        from opentelemetry.proto.collector.profiles.v1development import profiles_service_pb2

        records = samples = strings = functions = 0
        profile_ids = []
        trace_ids = []
        with open(jsonl_path, encoding="utf-8") as lines:
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                document = json.loads(line)
                hex_to_base64(document)
                request = json_format.Parse(
                    json.dumps(document),
                    profiles_service_pb2.ExportProfilesServiceRequest(),
                    ignore_unknown_fields=False,
                )
                records += 1
                for resource in request.resource_profiles:
                    for scope in resource.scope_profiles:
                        for profile in scope.profiles:
                            samples += len(profile.samples)
                            if profile.profile_id:
                                profile_ids.append(profile.profile_id.hex())
                strings += len(request.dictionary.string_table)
                functions += len(request.dictionary.function_table)
                trace_ids.extend(link.trace_id.hex() for link in request.dictionary.link_table if link.trace_id.strip(b"\0"))

        print(
            f"records={records} samples={samples} strings={strings} functions={functions} "
            f"profile_ids={','.join(profile_ids)} trace_ids={','.join(trace_ids)}"
        )


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
