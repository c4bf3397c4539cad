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
	__u8 user_stop;          /* enum profiler_user_stop: how the user walk ended */
	__u8 reserved;           /* keeps data 8-byte aligned; always 0 */
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

/*
 * How a sample's user stack walk ended (profiler_sample.user_stop). Only the unwinder of sample_cpu_unwind says
 * more than NONE; every reason but COMPLETE means the outer frames may be missing.
 */
enum profiler_user_stop {
	PROFILER_STOP_NONE = 0,        /* frame-pointer walk by the kernel (native_unwinding: frame_pointers), or no user stack */
	PROFILER_STOP_COMPLETE = 1,    /* reached a frame whose return address is undefined (_start, a thread's entry) */
	PROFILER_STOP_NO_TABLE = 2,    /* stepped by frame pointer through code without a loaded table, and that chain ended */
	PROFILER_STOP_NO_MAPPING = 3,  /* stepped by frame pointer through memory in no known mapping, and that chain ended */
	PROFILER_STOP_READ_FAULT = 4,  /* a saved register could not be read from user memory */
	PROFILER_STOP_DEPTH = 5,       /* PROFILER_MAX_FRAMES frames and not done */
	PROFILER_STOP_UNSUPPORTED = 6, /* a row whose rule the unwinder cannot follow, or a frame that does not move up the stack */
	PROFILER_STOP_NO_PROCESS = 7,  /* the process had no mappings in the kernel yet: the kernel's frame-pointer walk was used */
};

/*
 * One unwind row, as Collector.Unwinding writes them (unwinding/Table/UnwindRowLayout.cs is the reference): for
 * file virtual addresses from pc_start up to the next row's, how to find the CFA, the caller's RBP and the return
 * address. Rows of one file are the values of one array map (keys 0..n-1, ascending pc_start) in unwind_tables.
 */
struct profiler_unwind_row {
	__u32 pc_start;
	__s32 cfa_offset;
	__s16 rbp_offset;
	__u8 cfa_kind; /* enum profiler_cfa_kind */
	__u8 rules;    /* bits 0-1 enum profiler_rbp_rule, bits 2-3 enum profiler_ra_rule */
};

enum profiler_cfa_kind {
	PROFILER_CFA_UNSUPPORTED = 0,
	PROFILER_CFA_RSP = 1,          /* CFA = RSP + cfa_offset */
	PROFILER_CFA_RBP = 2,          /* CFA = RBP + cfa_offset */
	PROFILER_CFA_PLT = 3,          /* CFA = RSP + cfa_offset + ((RIP & 15) >= 11 ? 8 : 0) */
	PROFILER_CFA_SIGNAL = 4,       /* RSP points at the ucontext_t of a signal frame */
	PROFILER_CFA_FRAME_POINTER = 5, /* no call-frame information: step by frame pointer */
};

enum profiler_rbp_rule {
	PROFILER_RBP_UNCHANGED = 0,
	PROFILER_RBP_AT_CFA = 1,       /* saved at CFA + rbp_offset */
	PROFILER_RBP_UNSUPPORTED = 2,
};

enum profiler_ra_rule {
	PROFILER_RA_AT_CFA_MINUS_8 = 0,
	PROFILER_RA_UNDEFINED = 1,     /* outermost frame */
	PROFILER_RA_UNSUPPORTED = 2,
};

/* Where a signal frame's ucontext_t keeps the interrupted RBP, RSP and RIP, from the RSP of __restore_rt. */
#define PROFILER_SIGNAL_RBP 120
#define PROFILER_SIGNAL_RSP 160
#define PROFILER_SIGNAL_RIP 168

/* Most unwind tables loaded at once (files), and most executable mappings of one process the unwinder knows. */
#define PROFILER_MAX_TABLES 4096
#define PROFILER_MAX_MAPPINGS 128
/* Most processes with mappings in the kernel; beyond it the receiver evicts the least recently sampled. */
#define PROFILER_MAX_PROCESSES 8192

/*
 * One executable mapping of a process: addresses [start, end) of the process hold the file whose rows are
 * unwind_tables[table_id], at file virtual address = address - bias. table_id 0: a file whose table is not loaded
 * (not built yet, evicted, or the file has no call-frame information).
 */
struct profiler_mapping {
	__u64 start;
	__u64 end;
	__u64 bias;
	__u32 table_id;
	__u32 rows; /* rows in that table: the binary search's bound */
};

/* The value of process_mappings[pid]: the process's executable file mappings, sorted by start, not overlapping. */
struct profiler_process_mappings {
	__u64 start_boottime_ns; /* the process these mappings belong to: a reused pid does not use them */
	__u32 count;
	__u32 reserved;
	struct profiler_mapping mappings[PROFILER_MAX_MAPPINGS];
};

/* The single value of the "config" array map, written by user space after load and before attach. */
struct profiler_config {
	__u32 self_pid;      /* a thread group never sampled nor reported (the collector itself); 0 for none */
	__u32 filter_pids;   /* non-zero: only thread groups present in the "target_pids" map */
	__u32 kernel_stacks; /* non-zero: collect kernel stacks too */
	__u32 user_build_ids; /* non-zero: user frames' origins (build id, file offset) too */
	/*
	 * non-zero: an exec record wakes user space (everything else waits for its timer). With native unwinding the
	 * receiver reads a new program's maps at once instead of at its next tick: until then the unwinder has no
	 * tables for the process.
	 */
	__u32 wake_on_exec;
};

#endif /* COLLECTOR_PROFILER_H */
