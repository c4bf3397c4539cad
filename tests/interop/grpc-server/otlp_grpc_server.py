#!/usr/bin/python3
"""An OTLP/gRPC profiles backend built on grpcio, an implementation independent of ours.

Usage: /usr/bin/python3 otlp_grpc_server.py PROTO_ROOT RECORD_FILE [FAIL_FIRST]

Generates Python classes from our .proto files with `protoc --python_out` into a temporary directory, then
serves the profiles Export method over h2c on 127.0.0.1 with a generic handler (no generated service stubs:
Debian has no grpcio-tools). grpcio undoes the gRPC framing and gzip itself; the handler parses the message with
the generated class and appends the message bytes to RECORD_FILE as a 4-byte big-endian length and the bytes.
With FAIL_FIRST=1 the first call is answered UNAVAILABLE, to show our client reads grpcio's trailers.

Prints "listening PORT" once ready, one "request ..." line per call, and stops when stdin closes.
Run it with /usr/bin/python3: Debian's python3-grpcio and python3-protobuf belong to that interpreter.
"""

import glob
import os
import struct
import subprocess
import sys
import tempfile
import threading
from concurrent import futures

SERVICE = "opentelemetry.proto.collector.profiles.v1development.ProfilesService"


def generate_classes(proto_root, out_dir):
    protos = sorted(glob.glob(os.path.join(proto_root, "**", "*.proto"), recursive=True))
    subprocess.run(["protoc", "-I" + proto_root, "--python_out=" + out_dir, *protos], check=True)


def main(proto_root, record_path, fail_first):
    with tempfile.TemporaryDirectory(prefix="otlp-grpc-python-") as out_dir:
        generate_classes(proto_root, out_dir)
        sys.path.insert(0, out_dir)
        import grpc
        from opentelemetry.proto.collector.profiles.v1development import profiles_service_pb2

        lock = threading.Lock()
        calls = [0]
        record = open(record_path, "wb")

        def export(raw, context):
            with lock:
                calls[0] += 1
                first = calls[0] == 1
            if fail_first and first:
                print("call 1 answered UNAVAILABLE", flush=True)
                context.abort(grpc.StatusCode.UNAVAILABLE, "warming up: try again")
            request = profiles_service_pb2.ExportProfilesServiceRequest.FromString(raw)
            samples = sum(len(p.samples) for r in request.resource_profiles for s in r.scope_profiles for p in s.profiles)
            metadata = dict(context.invocation_metadata())
            with lock:
                record.write(struct.pack(">I", len(raw)) + raw)
                record.flush()
                print(
                    f"request bytes={len(raw)} samples={samples} strings={len(request.dictionary.string_table)} "
                    f"api_key={metadata.get('x-api-key', '')} deadline_ok={0 < (context.time_remaining() or 0) <= 5}",
                    flush=True,
                )
            return profiles_service_pb2.ExportProfilesServiceResponse().SerializeToString()

        handler = grpc.method_handlers_generic_handler(
            SERVICE,
            {"Export": grpc.unary_unary_rpc_method_handler(export, request_deserializer=None, response_serializer=None)},
        )
        server = grpc.server(futures.ThreadPoolExecutor(max_workers=4), handlers=[handler])
        port = server.add_insecure_port("127.0.0.1:0")
        server.start()
        print(f"listening {port}", flush=True)
        sys.stdin.read()
        server.stop(grace=1).wait()
        record.close()


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2], len(sys.argv) == 4 and sys.argv[3] == "1")
