# Sourced by the bench scripts: writes the collector configuration they run.
#
#   collector_config FILE OUTPUT [unwinding=auto|frame_pointers] [processors="pid_lifecycle symbolization"]
#                    [names=REGEX] [port=N] [python=false]
#
# ebpf_profiling at 19 Hz (native_unwinding as given, else the default), following only processes whose name
# matches REGEX when given, -> the processors given, in order -> file (OUTPUT); self-telemetry on port N when
# given, else the default endpoint.
collector_config() {
  local file=$1 output=$2 unwinding="" processors="" names="" port="" python="" option
  shift 2
  for option in "$@"; do
    case "$option" in
      unwinding=*) unwinding="${option#*=}" ;;
      processors=*) processors="${option#*=}" ;;
      names=*) names="${option#*=}" ;;
      port=*) port="${option#*=}" ;;
      python=*) python="${option#*=}" ;;
      *) echo "collector_config: unknown option '$option'" >&2; return 2 ;;
    esac
  done
  {
    echo "receivers:"
    echo "  ebpf_profiling:"
    echo "    samples_per_second: 19"
    if [ -n "$unwinding" ]; then echo "    native_unwinding: $unwinding"; fi
    if [ -n "$names" ]; then echo "    process_names: [\"$names\"]"; fi
    if [ -n "$python" ]; then echo "    python: {enabled: $python}"; fi
    if [ -n "$processors" ]; then
      echo "processors:"
      for p in $processors; do echo "  $p: {}"; done
    fi
    echo "exporters:"
    echo "  file:"
    echo "    path: $output"
    echo "service:"
    if [ -n "$port" ]; then
      echo "  telemetry:"
      echo "    metrics:"
      echo "      readers:"
      echo "        - pull:"
      echo "            exporter:"
      echo "              prometheus:"
      echo "                host: localhost"
      echo "                port: $port"
    fi
    echo "  pipelines:"
    echo "    profiles:"
    echo "      receivers: [ebpf_profiling]"
    if [ -n "$processors" ]; then echo "      processors: [${processors// /, }]"; fi
    echo "      exporters: [file]"
  } >"$file"
}
