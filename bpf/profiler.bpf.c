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
#include <linux/bpf_perf_event.h>

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

struct mm_struct;

struct thread_struct {
	unsigned long fsbase; /* x86-64 FS base: the thread pointer, which glibc and musl return as pthread_self() */
};

struct task_struct {
	struct mm_struct *mm; /* NULL for kernel threads: no user stack */
	int pid;
	int tgid;
	char comm[16];
	struct task_struct *group_leader;
	struct task_struct *real_parent;
	struct signal_struct *signal;
	__u64 start_boottime;
	struct thread_struct thread;
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

/* Whether the sample interrupted user code (privilege level 3 in the saved CS): then it has no kernel stack. */
static __always_inline int in_user_mode(const struct bpf_perf_event_data *ctx)
{
	return (ctx->regs.cs & 3) == 3;
}

/* Fills who was running and the kernel stack; returns the number of kernel frames written to sample->data. */
static __always_inline __u64 begin_sample(struct bpf_perf_event_data *ctx, const struct profiler_config *cfg,
					   struct profiler_sample *sample, struct task_struct *task, __u64 id)
{
	long kernel_bytes = 0;

	sample->kind = PROFILER_RECORD_SAMPLE;
	sample->pid = id >> 32;
	sample->tid = (__u32)id;
	sample->cpu = bpf_get_smp_processor_id();
	sample->ktime_ns = bpf_ktime_get_ns();
	sample->start_boottime_ns = BPF_CORE_READ(task, group_leader, start_boottime);
	bpf_get_current_comm(sample->comm, sizeof(sample->comm));
	sample->user_stop = PROFILER_STOP_NONE;
	sample->reserved = 0;
	sample->user_origins = 0;
	sample->python_frames = 0;
	sample->reserved2[0] = 0;
	sample->reserved2[1] = 0;
	sample->reserved2[2] = 0;

	/*
	 * Most samples of a busy program interrupt user code, where the kernel walk finds nothing, yet setting it up cost
	 * 2-3 us a sample (cold per-CPU callchain buffers): a fifth of the whole program's time. Skipped there.
	 */
	if (cfg->kernel_stacks && !in_user_mode(ctx)) {
		kernel_bytes = bpf_get_stack(ctx, sample->data, PROFILER_MAX_FRAMES * sizeof(__u64), 0);
		if (kernel_bytes < 0)
			kernel_bytes = 0;
	}
	/* The mask restates for the verifier what bpf_get_stack guarantees: at most PROFILER_MAX_FRAMES. */
	return ((__u64)kernel_bytes / sizeof(__u64)) & 0x7f;
}

/*
 * The user stack by the kernel's frame-pointer walk and, unless turned off, each frame's build id and file offset:
 * what names the frames of a process that has exited before user space could read its memory maps. Origins are
 * written right after the addresses. Returns the number of user frames.
 */
static __always_inline __u64 frame_pointer_stack(struct bpf_perf_event_data *ctx, const struct profiler_config *cfg,
						 struct profiler_sample *sample, __u64 kernel_frames)
{
	long user_bytes;
	long origin_bytes;
	__u64 user_frames;

	user_bytes = bpf_get_stack(ctx, &sample->data[kernel_frames], PROFILER_MAX_FRAMES * sizeof(__u64), BPF_F_USER_STACK);
	if (user_bytes < 0)
		user_bytes = 0; /* kernel threads have no user stack */
	user_frames = ((__u64)user_bytes / sizeof(__u64)) & 0x7f;

	if (cfg->user_build_ids && user_frames > 0) {
		origin_bytes = bpf_get_stack(ctx, &sample->data[kernel_frames + user_frames],
					     PROFILER_MAX_FRAMES * sizeof(struct profiler_frame_origin),
					     BPF_F_USER_STACK | BPF_F_USER_BUILD_ID);
		/* Another thread may have changed the stack between the walks: then the origins do not line up. */
		if (origin_bytes == (long)(user_frames * sizeof(struct profiler_frame_origin)))
			sample->user_origins = user_frames;
	}
	return user_frames;
}

/* Each Python frame takes this many __u64 slots of profiler_sample.data. */
#define PYTHON_FRAME_SLOTS (sizeof(struct profiler_python_frame) / sizeof(__u64))

/* Copies the used part of the sample to the ring buffer. */
static __always_inline void submit_sample(struct profiler_sample *sample, __u64 kernel_frames, __u64 user_frames)
{
	__u64 user_origins = sample->user_origins & 0x7f;
	__u64 python_frames = sample->python_frames;

	/* Restated for the verifier: the sum of every part's maximum is the size of data. */
	if (python_frames > PROFILER_MAX_PYTHON_FRAMES)
		python_frames = PROFILER_MAX_PYTHON_FRAMES;

	sample->kernel_frames = kernel_frames;
	sample->user_frames = user_frames;
	if (bpf_ringbuf_output(&records, sample,
			       offsetof(struct profiler_sample, data) +
				       (kernel_frames + user_frames + user_origins * ORIGIN_SLOTS + python_frames * PYTHON_FRAME_SLOTS) *
					       sizeof(__u64),
			       BPF_RB_NO_WAKEUP) != 0)
		count(PROFILER_COUNTER_SAMPLES_LOST);
}

/* The scratch sample of this CPU, when the running thread is to be sampled. */
static __always_inline struct profiler_sample *wanted_sample(const struct profiler_config *cfg, __u32 pid)
{
	__u32 zero = 0;

	/* pid 0 is the idle task: the CPU was not used by anyone. */
	if (!cfg || pid == 0 || !wanted(cfg, pid))
		return 0;
	return bpf_map_lookup_elem(&sample_scratch, &zero);
}

/* native_unwinding: frame_pointers. Runs on every kernel the profiler supports. */
SEC("perf_event")
int sample_cpu(struct bpf_perf_event_data *ctx)
{
	const struct profiler_config *cfg = load_config();
	__u64 id = bpf_get_current_pid_tgid();
	struct profiler_sample *sample = wanted_sample(cfg, id >> 32);
	__u64 kernel_frames;
	__u64 user_frames;

	if (!sample || !cfg)
		return 0;
	kernel_frames = begin_sample(ctx, cfg, sample, (struct task_struct *)bpf_get_current_task(), id);
	user_frames = frame_pointer_stack(ctx, cfg, sample, kernel_frames);
	submit_sample(sample, kernel_frames, user_frames);
	return 0;
}

#include "unwinder.bpf.h"
#include "python.bpf.h"

/* The Python frames of a CPython process go after everything else the sample holds. */
static __always_inline void add_python_frames(struct profiler_sample *sample, struct task_struct *task, __u32 pid,
					      __u64 kernel_frames, __u64 user_frames)
{
	__u64 base = kernel_frames + user_frames + (sample->user_origins & 0x7f) * ORIGIN_SLOTS;

	sample->python_frames = python_stack(sample, task, pid, base);
}

/*
 * native_unwinding: auto. Needs bpf_loop (5.17), bpf_get_current_task_btf (5.11) and bpf_task_pt_regs (5.15);
 * user space loads it only when the kernel has them. A process whose mappings user space has not written yet
 * (just started) gets the frame-pointer walk, marked NO_PROCESS.
 */
SEC("perf_event")
int sample_cpu_unwind(struct bpf_perf_event_data *ctx)
{
	const struct profiler_config *cfg = load_config();
	__u64 id = bpf_get_current_pid_tgid();
	struct profiler_sample *sample = wanted_sample(cfg, id >> 32);
	const struct profiler_process_mappings *pm;
	struct task_struct *task;
	struct pt_regs *regs;
	struct unwind_state *st;
	__u32 zero = 0;
	__u64 kernel_frames;
	__u64 user_frames;
	__u32 pid = id >> 32;

	st = bpf_map_lookup_elem(&unwind_scratch, &zero);
	if (!sample || !cfg || !st)
		return 0;
	task = bpf_get_current_task_btf();
	kernel_frames = begin_sample(ctx, cfg, sample, task, id);
	pm = bpf_map_lookup_elem(&process_mappings, &pid);
	if (!pm || pm->start_boottime_ns != sample->start_boottime_ns || !BPF_CORE_READ(task, mm)) {
		user_frames = frame_pointer_stack(ctx, cfg, sample, kernel_frames);
		if (user_frames > 0)
			sample->user_stop = PROFILER_STOP_NO_PROCESS;
		if (user_frames > 0)
			add_python_frames(sample, task, pid, kernel_frames, user_frames);
		submit_sample(sample, kernel_frames, user_frames);
		return 0;
	}
	/*
	 * In user mode the interrupted registers are the user's; in kernel mode, the ones saved at kernel entry. The UAPI
	 * struct pt_regs (register names rip, rsp, rbp) has the kernel's layout on x86-64.
	 */
	if (in_user_mode(ctx)) {
		st->pc = ctx->regs.rip;
		st->sp = ctx->regs.rsp;
		st->bp = ctx->regs.rbp;
	} else {
		regs = (struct pt_regs *)bpf_task_pt_regs(task);
		bpf_probe_read_kernel(&st->pc, sizeof(__u64), &regs->rip);
		bpf_probe_read_kernel(&st->sp, sizeof(__u64), &regs->rsp);
		bpf_probe_read_kernel(&st->bp, sizeof(__u64), &regs->rbp);
	}
	st->pid = pid;
	st->frames = 0;
	st->base = kernel_frames;
	st->precise = 1;
	st->stop = PROFILER_STOP_DEPTH;
	if (st->pc != 0)
		bpf_loop(PROFILER_MAX_FRAMES, unwind_step, 0, 0);
	user_frames = st->frames & 0x7f;
	sample->user_stop = user_frames > 0 ? st->stop : PROFILER_STOP_NONE;
	if (user_frames > 0 && (pm->flags & PROFILER_PROCESS_PYTHON))
		add_python_frames(sample, task, pid, kernel_frames, user_frames);
	submit_sample(sample, kernel_frames, user_frames);
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
	if (bpf_ringbuf_output(&records, event, EVENT_HEADER_SIZE + length,
			       cfg->wake_on_exec ? BPF_RB_FORCE_WAKEUP : BPF_RB_NO_WAKEUP) != 0)
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
