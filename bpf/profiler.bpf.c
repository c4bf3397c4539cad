// SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause)
/*
 * Whole-system CPU sampling and process lifecycle events for the ebpf_profiling receiver.
 *
 * - sample_cpu runs on every tick of a PERF_COUNT_SW_CPU_CLOCK event opened on each online CPU and records
 *   who was running with its kernel and user stacks (frame-pointer walks done by bpf_get_stack) and, unless
 *   turned off, the build id and file offset of each user frame.
 * - on_exec / on_fork / on_exit follow process lifecycles through BTF-typed tracepoints (tp_btf), which
 *   need neither tracefs nor a tracepoint format description.
 *
 * Every record goes through one ring buffer without waking user space up: the receiver polls on a timer,
 * because a wake-up per record costs more CPU than the sampling itself. Records that find no room are
 * counted per CPU so user space can report them.
 */
#include <linux/types.h>
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>

#include "profiler.h"

/*
 * The few kernel types we read, declared with only the fields used. preserve_access_index turns every
 * access into a CO-RE relocation that libbpf resolves against the running kernel's BTF, so field offsets
 * come from /sys/kernel/btf/vmlinux at load time and no generated vmlinux.h is needed.
 */
#pragma clang attribute push(__attribute__((preserve_access_index)), apply_to = record)
typedef struct {
	int counter;
} atomic_t;

struct signal_struct {
	atomic_t live; /* threads of the group not yet past do_exit's group_dead check */
};

struct task_struct {
	int pid;
	int tgid;
	char comm[16];
	struct task_struct *group_leader;
	struct task_struct *real_parent;
	struct signal_struct *signal;
	__u64 start_boottime;
};

struct linux_binprm {
	const char *filename;
};
#pragma clang attribute pop

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* Sized by user space before load (a power of two, in bytes) from the CPU count and sampling rate. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 1 << 20);
} records SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct profiler_config);
} config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, PROFILER_MAX_TARGET_PIDS);
	__type(key, __u32);
	__type(value, __u8);
} target_pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, PROFILER_COUNTER_COUNT);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* A sample is too large for the 512-byte BPF stack; it is assembled here, then copied to the ring. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct profiler_sample);
} sample_scratch SEC(".maps");

static __always_inline void count(__u32 slot)
{
	__u64 *value = bpf_map_lookup_elem(&counters, &slot);

	if (value)
		*value += 1; /* per-CPU slot: no other CPU writes it */
}

/* The kernel-side filters: the collector itself, and the pids list when one is configured. */
static __always_inline int wanted(const struct profiler_config *cfg, __u32 pid)
{
	if (cfg->self_pid != 0 && pid == cfg->self_pid)
		return 0;
	if (cfg->filter_pids && !bpf_map_lookup_elem(&target_pids, &pid))
		return 0;
	return 1;
}

static __always_inline const struct profiler_config *load_config(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&config, &zero);
}

_Static_assert(sizeof(struct profiler_frame_origin) == sizeof(struct bpf_stack_build_id), "origin layout");
_Static_assert(__builtin_offsetof(struct profiler_frame_origin, build_id) ==
		       __builtin_offsetof(struct bpf_stack_build_id, build_id),
	       "origin layout");
_Static_assert(__builtin_offsetof(struct profiler_frame_origin, offset) ==
		       __builtin_offsetof(struct bpf_stack_build_id, offset),
	       "origin layout");

/* Each origin takes this many __u64 slots of profiler_sample.data. */
#define ORIGIN_SLOTS (sizeof(struct profiler_frame_origin) / sizeof(__u64))

SEC("perf_event")
int sample_cpu(void *ctx)
{
	const struct profiler_config *cfg = load_config();
	__u64 id = bpf_get_current_pid_tgid();
	__u32 pid = id >> 32;
	struct profiler_sample *sample;
	struct task_struct *task;
	__u32 zero = 0;
	long kernel_bytes = 0;
	long user_bytes;
	long origin_bytes;
	__u64 kernel_frames;
	__u64 user_frames;
	__u64 user_origins = 0;

	/* pid 0 is the idle task: the CPU was not used by anyone. */
	if (!cfg || pid == 0 || !wanted(cfg, pid))
		return 0;
	sample = bpf_map_lookup_elem(&sample_scratch, &zero);
	if (!sample)
		return 0;

	task = (struct task_struct *)bpf_get_current_task();
	sample->kind = PROFILER_RECORD_SAMPLE;
	sample->pid = pid;
	sample->tid = (__u32)id;
	sample->cpu = bpf_get_smp_processor_id();
	sample->ktime_ns = bpf_ktime_get_ns();
	sample->start_boottime_ns = BPF_CORE_READ(task, group_leader, start_boottime);
	bpf_get_current_comm(sample->comm, sizeof(sample->comm));
	sample->reserved = 0;

	if (cfg->kernel_stacks) {
		kernel_bytes = bpf_get_stack(ctx, sample->data, PROFILER_MAX_FRAMES * sizeof(__u64), 0);
		if (kernel_bytes < 0)
			kernel_bytes = 0;
	}
	/* The mask restates for the verifier what bpf_get_stack guarantees: at most PROFILER_MAX_FRAMES. */
	kernel_frames = ((__u64)kernel_bytes / sizeof(__u64)) & 0x7f;

	user_bytes = bpf_get_stack(ctx, &sample->data[kernel_frames], PROFILER_MAX_FRAMES * sizeof(__u64),
				   BPF_F_USER_STACK);
	if (user_bytes < 0)
		user_bytes = 0; /* kernel threads have no user stack */
	user_frames = ((__u64)user_bytes / sizeof(__u64)) & 0x7f;

	/*
	 * The same user stack again, each frame as (build id, file offset): what names the frames of a process
	 * that has exited before user space could read its memory maps. Written right after the addresses.
	 */
	if (cfg->user_build_ids && user_frames > 0) {
		origin_bytes = bpf_get_stack(ctx, &sample->data[kernel_frames + user_frames],
					     PROFILER_MAX_FRAMES * sizeof(struct profiler_frame_origin),
					     BPF_F_USER_STACK | BPF_F_USER_BUILD_ID);
		/* Another thread may have changed the stack between the walks: then the origins do not line up. */
		if (origin_bytes == (long)(user_frames * sizeof(struct profiler_frame_origin)))
			user_origins = user_frames;
	}

	sample->kernel_frames = kernel_frames;
	sample->user_frames = user_frames;
	sample->user_origins = user_origins;
	if (bpf_ringbuf_output(&records, sample,
			       offsetof(struct profiler_sample, data) +
				       (kernel_frames + user_frames + user_origins * ORIGIN_SLOTS) * sizeof(__u64),
			       BPF_RB_NO_WAKEUP) != 0)
		count(PROFILER_COUNTER_SAMPLES_LOST);
	return 0;
}

/* An exec record is assembled here to learn its length before it is copied to the ring. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct profiler_process_event);
} exec_scratch SEC(".maps");

/* Bytes of a process event before its filename: all that fork and exit records carry. */
#define EVENT_HEADER_SIZE offsetof(struct profiler_process_event, filename)

/* Fills the fields every process event has. */
static __always_inline void fill_event(struct profiler_process_event *event, __u32 kind, struct task_struct *task,
				       __u32 pid, __u32 ppid)
{
	struct task_struct *leader = BPF_CORE_READ(task, group_leader);

	event->kind = kind;
	event->pid = pid;
	event->ppid = ppid;
	event->reserved = 0;
	event->ktime_ns = bpf_ktime_get_ns();
	event->start_boottime_ns = BPF_CORE_READ(leader, start_boottime);
	bpf_probe_read_kernel_str(event->comm, sizeof(event->comm), &leader->comm);
}

/* A fork or exit record: the fields before filename, reserved and submitted in place. */
static __always_inline void emit_short_event(__u32 kind, struct task_struct *task, __u32 ppid)
{
	const struct profiler_config *cfg = load_config();
	struct profiler_process_event *event;
	__u32 pid = BPF_CORE_READ(task, tgid);

	if (!cfg || !wanted(cfg, pid))
		return;
	event = bpf_ringbuf_reserve(&records, EVENT_HEADER_SIZE, 0);
	if (!event) {
		count(PROFILER_COUNTER_EVENTS_LOST);
		return;
	}
	fill_event(event, kind, task, pid, ppid);
	bpf_ringbuf_submit(event, BPF_RB_NO_WAKEUP);
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *task, int old_pid, struct linux_binprm *bprm)
{
	const struct profiler_config *cfg = load_config();
	struct profiler_process_event *event;
	__u32 pid = BPF_CORE_READ(task, tgid);
	__u32 zero = 0;
	long length;

	if (!cfg || !wanted(cfg, pid))
		return 0;
	event = bpf_map_lookup_elem(&exec_scratch, &zero);
	if (!event)
		return 0;
	fill_event(event, PROFILER_RECORD_EXEC, task, pid, BPF_CORE_READ(task, real_parent, tgid));
	length = bpf_probe_read_kernel_str(event->filename, sizeof(event->filename), BPF_CORE_READ(bprm, filename));
	if (length <= 0) {
		event->filename[0] = '\0';
		length = 1;
	}
	if (length > PROFILER_FILENAME_LEN)
		length = PROFILER_FILENAME_LEN; /* never: the helper stops there; restated for the verifier */
	if (bpf_ringbuf_output(&records, event, EVENT_HEADER_SIZE + length, BPF_RB_NO_WAKEUP) != 0)
		count(PROFILER_COUNTER_EVENTS_LOST);
	return 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(on_fork, struct task_struct *parent, struct task_struct *child)
{
	/* A new thread is not a new process. */
	if (BPF_CORE_READ(child, pid) != BPF_CORE_READ(child, tgid))
		return 0;
	emit_short_event(PROFILER_RECORD_FORK, child, BPF_CORE_READ(parent, tgid));
	return 0;
}

/*
 * Fires once per exiting thread. Only the thread that takes signal->live to zero ends the process; this
 * works whether or not the kernel passes group_dead as a second tracepoint argument (added in 6.16).
 */
SEC("tp_btf/sched_process_exit")
int BPF_PROG(on_exit, struct task_struct *task)
{
	if (BPF_CORE_READ(task, signal, live.counter) != 0)
		return 0;
	emit_short_event(PROFILER_RECORD_EXIT, task, BPF_CORE_READ(task, real_parent, tgid));
	return 0;
}
