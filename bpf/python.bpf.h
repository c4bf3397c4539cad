/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The CPython frame walk of sample_cpu_unwind, included once by profiler.bpf.c (it uses that file's maps, counters
 * and kernel type declarations).
 *
 * For a process user space marked as CPython (python_processes), each sample finds the sampled thread's
 * PyThreadState in the first interpreter's thread list, then follows its frame chain from the running frame
 * outwards and records, per Python frame, the code object's address, the byte offset of the executing instruction
 * and whether the frame is the outermost one of its native _PyEval_EvalFrameDefault call. User space places them
 * among the native frames. Every read is bpf_probe_read_user of the process's memory; a read that fails, a chain
 * that is too long, or a code object whose type is not PyCode_Type drops the sample's Python frames (never part of
 * them) and is counted per reason: the native frames stay.
 *
 * Bounded for the verifier like the unwinder: two bpf_loop calls, over at most PROFILER_PYTHON_MAX_THREADS thread
 * states and PROFILER_PYTHON_WALK_STEPS frames, each step a handful of reads. The walk's state lives in a per-CPU map
 * so each callback is verified once.
 */
#ifndef COLLECTOR_PYTHON_BPF_H
#define COLLECTOR_PYTHON_BPF_H

_Static_assert(sizeof(struct profiler_python_frame) == 2 * sizeof(__u64), "python frame layout");
_Static_assert(sizeof(struct profiler_python_process) % 8 == 0, "python process layout");

/* pid (tgid) -> where its interpreter state is, and the layout of its version. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, PROFILER_MAX_PROCESSES);
	__type(key, __u32);
	__type(value, struct profiler_python_process);
} python_processes SEC(".maps");

/* The walk's progress, and a copy of the process's layout so each step needs no hash lookup. */
struct python_walk {
	struct profiler_python_process layout;
	__u64 thread_key;  /* the value of the thread state's thread_id field that names the sampled thread */
	__u64 thread;      /* the thread state being looked at, then the one found */
	__u64 frame;       /* the next frame to record */
	__u32 base;        /* index in sample->data of the first Python frame */
	__u32 written;     /* Python frames recorded */
	__u32 failure;     /* enum profiler_counter of the reason the walk gave up; 0 while none */
	__u32 found;       /* the thread state was found */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct python_walk);
} python_scratch SEC(".maps");

/* Gives up with a reason; returns bpf_loop's "stop" value. */
static __always_inline long python_fail(struct python_walk *walk, __u32 reason)
{
	walk->failure = reason;
	return 1;
}

/* Reads a pointer-sized field of a process structure; 0 when unreadable or the field does not exist. */
static __always_inline int python_read_u64(__u64 base, __u16 offset, __u64 *value)
{
	if (offset == PROFILER_PYTHON_NO_FIELD)
		return -1;
	return bpf_probe_read_user(value, sizeof(*value), (void *)(base + offset));
}

/* bpf_loop callback: is walk->thread the sampled thread's state? If not, moves to the next one. */
static long python_thread_step(__u32 index, void *ctx)
{
	struct python_walk *walk;
	__u32 zero = 0;
	__u64 key;

	walk = bpf_map_lookup_elem(&python_scratch, &zero);
	if (!walk)
		return 1;
	if (walk->thread == 0)
		return python_fail(walk, PROFILER_COUNTER_PYTHON_NO_THREAD_MATCH);
	if (python_read_u64(walk->thread, walk->layout.thread_id, &key) != 0)
		return python_fail(walk, PROFILER_COUNTER_PYTHON_NO_THREAD_STATE);
	if (key == walk->thread_key) {
		walk->found = 1;
		return 1;
	}
	if (python_read_u64(walk->thread, walk->layout.thread_next, &walk->thread) != 0)
		return python_fail(walk, PROFILER_COUNTER_PYTHON_NO_THREAD_STATE);
	return 0;
}

/* Marks the last recorded frame as the outermost of its eval call (a 3.12+ shim frame follows it). */
static __always_inline void python_mark_entry(struct python_walk *walk, struct profiler_sample *sample)
{
	__u64 slot;

	if (walk->written == 0)
		return;
	/* 64-bit arithmetic, so the bound checked is the index used (no 32-bit wrap in between). */
	slot = (__u64)walk->base + 2 * (__u64)(walk->written - 1) + 1;
	if (slot < PROFILER_SAMPLE_DATA_SLOTS)
		sample->data[slot] |= (__u64)PROFILER_PYTHON_FRAME_ENTRY << 32;
}

/* bpf_loop callback: records walk->frame, then moves to its caller. */
static long python_frame_step(__u32 index, void *ctx)
{
	const struct profiler_python_process *layout;
	struct profiler_sample *sample;
	struct python_walk *walk;
	__u32 zero = 0;
	__u32 flags = 0;
	__u64 slot;
	__u64 code = 0;
	__u64 type = 0;
	__u64 instruction = 0;
	__u64 offset = 0;
	__u8 owner = 0;
	__u8 is_entry = 0;
	__s32 lasti = 0;

	walk = bpf_map_lookup_elem(&python_scratch, &zero);
	sample = bpf_map_lookup_elem(&sample_scratch, &zero);
	if (!walk || !sample)
		return 1;
	if (walk->frame == 0)
		return 1; /* the outermost frame is done */
	layout = &walk->layout;
	if (layout->frame_owner != PROFILER_PYTHON_NO_FIELD &&
	    bpf_probe_read_user(&owner, sizeof(owner), (void *)(walk->frame + layout->frame_owner)) != 0)
		return python_fail(walk, PROFILER_COUNTER_PYTHON_FRAME_UNREADABLE);
	if (layout->owner_cstack != PROFILER_PYTHON_NO_OWNER && owner == layout->owner_cstack) {
		/* A shim an eval call pushes below its first frame (3.12+): not Python, but it ends that call's frames. */
		python_mark_entry(walk, sample);
		if (python_read_u64(walk->frame, layout->frame_previous, &walk->frame) != 0)
			return python_fail(walk, PROFILER_COUNTER_PYTHON_FRAME_UNREADABLE);
		return 0;
	}
	if (walk->written >= PROFILER_MAX_PYTHON_FRAMES)
		return python_fail(walk, PROFILER_COUNTER_PYTHON_CHAIN_TOO_LONG);
	if (python_read_u64(walk->frame, layout->frame_code, &code) != 0)
		return python_fail(walk, PROFILER_COUNTER_PYTHON_FRAME_UNREADABLE);
	/* ob_type follows ob_refcnt in every object header. */
	if (code == 0 || (code & 7) != 0 || bpf_probe_read_user(&type, sizeof(type), (void *)(code + 8)) != 0 ||
	    (layout->code_type != 0 && type != layout->code_type))
		return python_fail(walk, PROFILER_COUNTER_PYTHON_BAD_CODE);

	if (layout->frames_kind == PROFILER_PYTHON_FRAME_OBJECTS) {
		/* f_lasti counts 2-byte code units and is -1 before the first instruction. */
		if (bpf_probe_read_user(&lasti, sizeof(lasti), (void *)(walk->frame + layout->frame_instruction)) != 0)
			return python_fail(walk, PROFILER_COUNTER_PYTHON_FRAME_UNREADABLE);
		offset = lasti > 0 ? (__u64)lasti * 2 : 0;
		flags = PROFILER_PYTHON_FRAME_ENTRY; /* 3.10 makes one native eval call per frame */
	} else {
		if (python_read_u64(walk->frame, layout->frame_instruction, &instruction) != 0)
			return python_fail(walk, PROFILER_COUNTER_PYTHON_FRAME_UNREADABLE);
		/* A frame not started yet points one code unit before the bytecode: report its first instruction. */
		if (layout->code_bytecode != PROFILER_PYTHON_NO_FIELD && instruction > code + layout->code_bytecode)
			offset = instruction - (code + layout->code_bytecode);
		if (offset > 0xffffffffull)
			return python_fail(walk, PROFILER_COUNTER_PYTHON_BAD_CODE);
		if (layout->frame_is_entry != PROFILER_PYTHON_NO_FIELD) {
			if (bpf_probe_read_user(&is_entry, sizeof(is_entry), (void *)(walk->frame + layout->frame_is_entry)) != 0)
				return python_fail(walk, PROFILER_COUNTER_PYTHON_FRAME_UNREADABLE);
			if (is_entry)
				flags = PROFILER_PYTHON_FRAME_ENTRY;
		}
	}
	slot = (__u64)walk->base + 2 * (__u64)walk->written;
	if (slot > PROFILER_SAMPLE_DATA_SLOTS - 2)
		return python_fail(walk, PROFILER_COUNTER_PYTHON_CHAIN_TOO_LONG);
	sample->data[slot] = code;
	sample->data[slot + 1] = offset | ((__u64)flags << 32);
	walk->written++;
	if (python_read_u64(walk->frame, layout->frame_previous, &walk->frame) != 0)
		return python_fail(walk, PROFILER_COUNTER_PYTHON_FRAME_UNREADABLE);
	return 0;
}

/*
 * Records the sampled thread's Python frames at sample->data[base...] when the process is marked as CPython; returns
 * how many (0 for other processes and when the walk failed, which is counted).
 */
static __always_inline __u64 python_stack(struct profiler_sample *sample, struct task_struct *task, __u32 pid, __u64 base)
{
	const struct profiler_python_process *process;
	struct python_walk *walk;
	__u64 interpreter = 0;
	__u64 frame = 0;
	__u32 zero = 0;

	process = bpf_map_lookup_elem(&python_processes, &pid);
	if (!process || process->start_boottime_ns != sample->start_boottime_ns)
		return 0;
	walk = bpf_map_lookup_elem(&python_scratch, &zero);
	if (!walk)
		return 0;
	count(PROFILER_COUNTER_PYTHON_WALKS);
	walk->layout = *process;
	walk->base = base;
	walk->written = 0;
	walk->failure = 0;
	walk->found = 0;
	walk->thread = 0;
	walk->thread_key = walk->layout.thread_match == PROFILER_PYTHON_MATCH_TID ? (__u64)sample->tid : task->thread.fsbase;

	if (python_read_u64(walk->layout.runtime, walk->layout.runtime_interpreters_head, &interpreter) != 0 ||
	    interpreter == 0 ||
	    python_read_u64(interpreter, walk->layout.interpreter_threads_head, &walk->thread) != 0) {
		count(PROFILER_COUNTER_PYTHON_NO_THREAD_STATE);
		return 0;
	}
	bpf_loop(PROFILER_PYTHON_MAX_THREADS, python_thread_step, 0, 0);
	if (!walk->found) {
		count(walk->failure != 0 ? walk->failure : PROFILER_COUNTER_PYTHON_TOO_MANY_THREADS);
		return 0;
	}
	if (python_read_u64(walk->thread, walk->layout.thread_frame, &frame) != 0 ||
	    (frame != 0 && walk->layout.cframe_current_frame != PROFILER_PYTHON_NO_FIELD &&
	     python_read_u64(frame, walk->layout.cframe_current_frame, &frame) != 0)) {
		count(PROFILER_COUNTER_PYTHON_FRAME_UNREADABLE);
		return 0;
	}
	walk->frame = frame;
	bpf_loop(PROFILER_PYTHON_WALK_STEPS, python_frame_step, 0, 0);
	if (walk->failure == 0 && walk->frame != 0)
		walk->failure = PROFILER_COUNTER_PYTHON_CHAIN_TOO_LONG;
	if (walk->failure != 0) {
		count(walk->failure);
		return 0;
	}
	return walk->written & 0x7f;
}

#endif /* COLLECTOR_PYTHON_BPF_H */
