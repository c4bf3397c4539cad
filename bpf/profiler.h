/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The kernel <-> user space ABI of profiler.bpf.c: every record, map value and constant both sides share.
 * The C# mirrors live in Collector.Bpf (the Records folder); a layout test compiles this header and compares
 * sizes and offsets, so change both sides together and keep every field naturally aligned.
 */
#ifndef COLLECTOR_PROFILER_H
#define COLLECTOR_PROFILER_H

#include <linux/types.h>

/* bpf_get_stack() collects at most this many frames per stack (the kernel's default perf_event_max_stack). */
#define PROFILER_MAX_FRAMES 127
#define PROFILER_COMM_LEN 16
#define PROFILER_FILENAME_LEN 256
/* Upper bound on pids the kernel-side filter holds; options validation enforces it too. */
#define PROFILER_MAX_TARGET_PIDS 1024

/* First field of every ring buffer record: tells user space which struct follows. */
enum profiler_record_kind {
	PROFILER_RECORD_SAMPLE = 1,
	PROFILER_RECORD_EXEC = 2,
	PROFILER_RECORD_FORK = 3,
	PROFILER_RECORD_EXIT = 4,
};

/* Slots of the per-CPU "counters" array: things the kernel side could not do, summed by user space. */
enum profiler_counter {
	/* A sample was taken but the ring buffer had no room for it. */
	PROFILER_COUNTER_SAMPLES_LOST = 0,
	/* A process event could not be reserved in the ring buffer. */
	PROFILER_COUNTER_EVENTS_LOST = 1,
	PROFILER_COUNTER_COUNT = 2,
};

/* Values of profiler_frame_origin.status (the kernel's enum bpf_stack_build_id_status). */
enum profiler_origin_status {
	PROFILER_ORIGIN_EMPTY = 0, /* no frame */
	PROFILER_ORIGIN_VALID = 1, /* build_id and offset are known */
	PROFILER_ORIGIN_IP = 2,    /* the kernel could not tell (anonymous memory, no build id note, lock busy) */
};

#define PROFILER_BUILD_ID_LEN 20

/*
 * Where one user frame lies, as bpf_get_stack(BPF_F_USER_STACK | BPF_F_USER_BUILD_ID) reports it: the same
 * layout as the kernel's struct bpf_stack_build_id (profiler.bpf.c asserts it).
 */
struct profiler_frame_origin {
	__s32 status;                         /* enum profiler_origin_status */
	__u8 build_id[PROFILER_BUILD_ID_LEN]; /* GNU build id of the mapped file, zero padded */
	__u64 offset;                         /* VALID: offset of the address in that file; IP: the address itself */
};

/*
 * One CPU sample. Only the used part of data[] is written to the ring buffer, in this order:
 *   kernel_frames kernel return addresses (__u64), leaf first;
 *   user_frames user return addresses (__u64), leaf first;
 *   user_origins struct profiler_frame_origin, one per user frame (same order), or none: user_origins is
 *   either user_frames or 0 (user_build_ids off, no user stack, or the two stack walks disagreed).
 * Every part is a multiple of 8 bytes long, so each starts 8-byte aligned.
 */
struct profiler_sample {
	__u32 kind;              /* PROFILER_RECORD_SAMPLE */
	__u32 pid;               /* thread group id: the process */
	__u32 tid;               /* the thread */
	__u32 cpu;
	__u64 ktime_ns;          /* bpf_ktime_get_ns(): CLOCK_MONOTONIC */
	__u64 start_boottime_ns; /* the process's start (CLOCK_BOOTTIME); with pid, names the process across pid reuse */
	char comm[PROFILER_COMM_LEN]; /* thread name */
	__u16 kernel_frames;
	__u16 user_frames;
	__u16 user_origins;
	__u16 reserved;          /* keeps data 8-byte aligned; always 0 */
	/* Room for the largest sample: two full stacks of addresses and a full stack of origins. */
	__u64 data[2 * PROFILER_MAX_FRAMES +
		   PROFILER_MAX_FRAMES * sizeof(struct profiler_frame_origin) / sizeof(__u64)];
};

/*
 * exec, fork (of a new process, not a thread) or exit (of the whole thread group). Only the used part is
 * written to the ring buffer: fork and exit records end where filename starts; exec records carry the
 * filename up to and including its NUL. Under process churn these records are most of the traffic, and the
 * short form fits four times as many in the same buffer.
 */
struct profiler_process_event {
	__u32 kind;              /* PROFILER_RECORD_EXEC, _FORK or _EXIT */
	__u32 pid;               /* thread group id; for fork, the child */
	__u32 ppid;              /* for fork the forking process, otherwise the real parent */
	__u32 reserved;          /* always 0 */
	__u64 ktime_ns;          /* CLOCK_MONOTONIC, same clock as samples */
	__u64 start_boottime_ns; /* start of the process the event concerns */
	char comm[PROFILER_COMM_LEN];         /* process name (after exec for exec) */
	char filename[PROFILER_FILENAME_LEN]; /* exec only: the path given to execve, NUL terminated */
};

/* The single value of the "config" array map, written by user space after load and before attach. */
struct profiler_config {
	__u32 self_pid;      /* a thread group never sampled nor reported (the collector itself); 0 for none */
	__u32 filter_pids;   /* non-zero: only thread groups present in the "target_pids" map */
	__u32 kernel_stacks; /* non-zero: collect kernel stacks too */
	__u32 user_build_ids; /* non-zero: user frames' origins (build id, file offset) too */
};

#endif /* COLLECTOR_PROFILER_H */
