#!/usr/bin/python3
"""Sends OTLP profiles to our receiver with grpcio, a gRPC implementation we did not write.

Message classes come from `protoc --python_out` over otlp/Proto; no gRPC stubs are needed, the Export
method is called through `channel.unary_unary` with the messages' own serializers. The script builds its
request independently of our C# encoder, sends it (h2c, or TLS with --ca), then sends one with an index out of
range, and prints one JSON line per call. It writes the valid request's bytes to --dump so the test can compare
what the receiver delivered with what was sent.

Run with /usr/bin/python3: Debian's python3-grpcio and python3-protobuf belong to that interpreter.
"""
import argparse
import glob
import importlib
import json
import os
import subprocess
import sys
import tempfile

EXPORT = "/opentelemetry.proto.collector.profiles.v1development.ProfilesService/Export"
TIME = 1_795_000_000_000_000_000


def generate(proto_root, out):
    protos = sorted(glob.glob(os.path.join(proto_root, "**", "*.proto"), recursive=True))
    subprocess.run(["protoc", "-I", proto_root, "--python_out", out, *protos], check=True)
    sys.path.insert(0, out)
    return (
        importlib.import_module("opentelemetry.proto.collector.profiles.v1development.profiles_service_pb2"),
        importlib.import_module("opentelemetry.proto.profiles.v1development.profiles_pb2"),
        importlib.import_module("opentelemetry.proto.common.v1.common_pb2"),
        importlib.import_module("opentelemetry.proto.resource.v1.resource_pb2"),
    )


def build_request(service, profiles, common, resource):
    """Three samples over two stacks of two functions, with a thread attribute, in a self-contained export."""
    request = service.ExportProfilesServiceRequest()
    d = request.dictionary
    d.string_table.extend(["", "samples", "count", "cpu", "nanoseconds", "interop_main", "interop_leaf",
                           "interop.py", "/usr/bin/interop", "thread.id"])
    d.mapping_table.extend([profiles.Mapping(),
                            profiles.Mapping(memory_start=0x1000, memory_limit=0x9000, filename_strindex=8)])
    d.function_table.extend([profiles.Function(),
                             profiles.Function(name_strindex=5, system_name_strindex=5, filename_strindex=7, start_line=1),
                             profiles.Function(name_strindex=6, system_name_strindex=6, filename_strindex=7, start_line=10)])
    d.location_table.extend([profiles.Location(),
                             profiles.Location(mapping_index=1, address=0x1100, lines=[profiles.Line(function_index=1, line=3)]),
                             profiles.Location(mapping_index=1, address=0x1200, lines=[profiles.Line(function_index=2, line=12)])])
    d.stack_table.extend([profiles.Stack(), profiles.Stack(location_indices=[2, 1]), profiles.Stack(location_indices=[1])])
    d.link_table.extend([profiles.Link(trace_id=bytes(16), span_id=bytes(8))])
    d.attribute_table.extend([profiles.KeyValueAndUnit(),
                              profiles.KeyValueAndUnit(key_strindex=9, value=common.AnyValue(int_value=7))])
    profile = profiles.Profile(
        sample_type=profiles.ValueType(type_strindex=1, unit_strindex=2),
        period_type=profiles.ValueType(type_strindex=3, unit_strindex=4),
        period=10_000_000, time_unix_nano=TIME, duration_nano=1_000_000_000,
        samples=[profiles.Sample(stack_index=1, attribute_indices=[1], values=[3]),
                 profiles.Sample(stack_index=2, values=[1]),
                 profiles.Sample(stack_index=1, timestamps_unix_nano=[TIME + 1, TIME + 2])])
    request.resource_profiles.append(profiles.ResourceProfiles(
        resource=resource.Resource(attributes=[common.KeyValue(key="process.pid", value=common.AnyValue(int_value=4242))]),
        scope_profiles=[profiles.ScopeProfiles(scope=common.InstrumentationScope(name="interop", version="1"),
                                               profiles=[profile])]))
    return request


def call(export, request, metadata, compression):
    import grpc
    try:
        export(request, timeout=20, metadata=metadata, compression=compression)
        return {"code": "OK", "details": ""}
    except grpc.RpcError as error:
        return {"code": error.code().name, "details": error.details() or ""}


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--target", required=True, help="host:port of the receiver's gRPC endpoint")
    parser.add_argument("--proto-root", required=True)
    parser.add_argument("--dump", required=True, help="where to write the valid request's bytes")
    parser.add_argument("--ca", help="PEM CA file: use TLS, trusting only this CA")
    parser.add_argument("--gzip", action="store_true", help="compress the requests")
    parser.add_argument("--token", help="bearer token to send")
    args = parser.parse_args()

    import grpc
    with tempfile.TemporaryDirectory() as out:
        service, profiles, common, resource = generate(args.proto_root, out)
        # Loopback only: a proxy from the environment must not get in between.
        options = [("grpc.enable_http_proxy", 0)]
        if args.ca:
            with open(args.ca, "rb") as ca:
                credentials = grpc.ssl_channel_credentials(root_certificates=ca.read())
            channel = grpc.secure_channel(args.target, credentials, options + [("grpc.ssl_target_name_override", "localhost")])
        else:
            channel = grpc.insecure_channel(args.target, options)
        with channel:
            export = channel.unary_unary(EXPORT,
                                         request_serializer=service.ExportProfilesServiceRequest.SerializeToString,
                                         response_deserializer=service.ExportProfilesServiceResponse.FromString)
            metadata = [("authorization", "Bearer " + args.token)] if args.token else None
            compression = grpc.Compression.Gzip if args.gzip else grpc.Compression.NoCompression
            request = build_request(service, profiles, common, resource)
            with open(args.dump, "wb") as dump:
                dump.write(request.SerializeToString())
            print(json.dumps({"call": "valid", **call(export, request, metadata, compression)}), flush=True)
            invalid = build_request(service, profiles, common, resource)
            invalid.resource_profiles[0].scope_profiles[0].profiles[0].samples[1].stack_index = 99
            print(json.dumps({"call": "invalid", **call(export, invalid, metadata, compression)}), flush=True)


if __name__ == "__main__":
    main()
