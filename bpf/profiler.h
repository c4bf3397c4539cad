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
/* Most Python frames recorded per sample, and most frames (shim frames included) the walk visits. */
#define PROFILER_MAX_PYTHON_FRAMES 96
#define PROFILER_PYTHON_WALK_STEPS 128
/* Most thread states visited to find the sampled thread's. */
#define PROFILER_PYTHON_MAX_THREADS 256
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
	/* Samples of a process marked as CPython (python_processes) whose interpreter state was read. */
	PROFILER_COUNTER_PYTHON_WALKS = 2,
	/* _PyRuntime, the interpreter or a thread state could not be read: no Python frames. */
	PROFILER_COUNTER_PYTHON_NO_THREAD_STATE = 3,
	/* No thread state of the first interpreter belongs to the sampled thread (a thread that never ran Python). */
	PROFILER_COUNTER_PYTHON_NO_THREAD_MATCH = 4,
	/* A frame of the chain could not be read: no Python frames. */
	PROFILER_COUNTER_PYTHON_FRAME_UNREADABLE = 5,
	/* A frame's code object is not a code object (its type is not PyCode_Type): a wrong layout or a torn read. */
	PROFILER_COUNTER_PYTHON_BAD_CODE = 6,
	/* The chain was longer than PROFILER_PYTHON_WALK_STEPS or PROFILER_MAX_PYTHON_FRAMES: no Python frames. */
	PROFILER_COUNTER_PYTHON_CHAIN_TOO_LONG = 7,
	/* More than PROFILER_PYTHON_MAX_THREADS thread states before the sampled thread's: no Python frames. */
	PROFILER_COUNTER_PYTHON_TOO_MANY_THREADS = 8,
	PROFILER_COUNTER_COUNT = 9,
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

/* profiler_python_frame.flags */
#define PROFILER_PYTHON_FRAME_ENTRY 1 /* the outermost frame one native _PyEval_EvalFrameDefault call runs */

/*
 * One Python frame of the sampled thread, as the interpreter's frame chain holds it. User space places the frames
 * where the native frames of the evaluation loop are (see docs/ebpf.md) and names the code object.
 */
struct profiler_python_frame {
	__u64 code;               /* address of the PyCodeObject in the process */
	__u32 instruction_offset; /* byte offset in the code's bytecode of the instruction executing (0: not started) */
	__u32 flags;              /* PROFILER_PYTHON_FRAME_* */
};

/*
 * One CPU sample. Only the used part of data[] is written to the ring buffer, in this order:
 *   kernel_frames kernel return addresses (__u64), leaf first;
 *   user_frames user return addresses (__u64), leaf first;
 *   user_origins struct profiler_frame_origin, one per user frame (same order), or none: user_origins is
 *   either user_frames or 0 (user_build_ids off, no user stack, or the two stack walks disagreed);
 *   python_frames struct profiler_python_frame, leaf first (CPython processes only).
 * Every part is a multiple of 8 bytes long, so each starts 8-byte aligned.
 */
#define PROFILER_SAMPLE_DATA_SLOTS                                                                             \
	(2 * PROFILER_MAX_FRAMES + PROFILER_MAX_FRAMES * sizeof(struct profiler_frame_origin) / sizeof(__u64) + \
	 PROFILER_MAX_PYTHON_FRAMES * sizeof(struct profiler_python_frame) / sizeof(__u64))

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
	__u8 reserved;           /* always 0 */
	__u16 python_frames;
	__u16 reserved2[3];      /* keeps data 8-byte aligned; always 0 */
	/* Room for the largest sample: two full stacks of addresses, a full stack of origins, and Python frames. */
	__u64 data[PROFILER_SAMPLE_DATA_SLOTS];
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
 * A bucket of a table's index (unwinding/Table/UnwindBucketIndex.cs builds it, UnwindRowLayout.cs fixes its bytes), stored in the table's array
 * after its rows, one row-sized slot each: rows [first, end) hold every row covering an address of the bucket, and
 * row first starts at or below the bucket's start. A lookup reads one bucket and searches a few adjacent rows
 * instead of the whole table: at a few samples a second every table is cold in the cache, and each probe of a
 * whole-table search cost a cache and TLB miss.
 */
struct profiler_unwind_bucket {
	__u32 first;
	__u32 end;
	__u32 reserved;
};

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
	__u32 rows;          /* rows in that table; the index's buckets follow them, from slot rows on */
	__u32 index_base;    /* file virtual address where bucket 0 starts (the first row's pc_start) */
	__u32 index_buckets; /* buckets in the index; addresses past the last bucket belong to it */
	__u32 index_shift;   /* each bucket covers 2^index_shift bytes */
	__u32 reserved;      /* always 0 */
};

/* profiler_process_mappings.flags */
/*
 * python_processes may hold the process: look its interpreter up. Without it a sample skips that lookup, whose miss
 * in a hash the size of python_processes cost about a tenth of a native sample's BPF time (docs/ebpf.md, "Overhead").
 */
#define PROFILER_PROCESS_PYTHON 1

/* The value of process_mappings[pid]: the process's executable file mappings, sorted by start, not overlapping. */
struct profiler_process_mappings {
	__u64 start_boottime_ns; /* the process these mappings belong to: a reused pid does not use them */
	__u32 count;
	__u32 flags;             /* PROFILER_PROCESS_* */
	struct profiler_mapping mappings[PROFILER_MAX_MAPPINGS];
};

/* profiler_python_process.frames_kind: what the thread state's frame chain is made of. */
enum profiler_python_frames_kind {
	PROFILER_PYTHON_FRAME_OBJECTS = 1,      /* 3.10: PyFrameObject, one native eval call per frame, f_lasti in code units */
	PROFILER_PYTHON_INTERPRETER_FRAMES = 2, /* 3.11+: _PyInterpreterFrame, an instruction pointer into the bytecode */
};

/* profiler_python_process.thread_match: which thread state field identifies the sampled thread. */
enum profiler_python_thread_match {
	PROFILER_PYTHON_MATCH_PTHREAD = 0, /* thread_id (pthread_self) equals the task's fs base: any pid namespace */
	PROFILER_PYTHON_MATCH_TID = 1,     /* native_thread_id equals the thread id (3.11+, host pid namespace only) */
};

/* A field the version does not have. */
#define PROFILER_PYTHON_NO_FIELD 0xffff
#define PROFILER_PYTHON_NO_OWNER 0xff

/*
 * The value of python_processes[pid], written by user space for a process it found to run CPython: where the
 * interpreter state is and the byte offsets of the fields the walk reads (per version; see docs/ebpf.md).
 */
struct profiler_python_process {
	__u64 start_boottime_ns; /* the process this belongs to: a reused pid does not use it */
	__u64 runtime;           /* address of _PyRuntime in the process */
	__u64 code_type;         /* address of PyCode_Type: every frame's code object must have it as its type */
	__u16 runtime_interpreters_head;  /* _PyRuntimeState.interpreters.head */
	__u16 interpreter_threads_head;   /* PyInterpreterState.threads.head (3.10: tstate_head) */
	__u16 thread_next;                /* PyThreadState.next */
	__u16 thread_id;                  /* PyThreadState.thread_id or native_thread_id, after thread_match */
	__u16 thread_frame;               /* PyThreadState.frame (3.10), .cframe (3.11, 3.12), .current_frame (3.13+) */
	__u16 cframe_current_frame;       /* _PyCFrame.current_frame; NO_FIELD when thread_frame is the frame itself */
	__u16 frame_previous;             /* .previous (f_back in 3.10) */
	__u16 frame_code;                 /* .f_code (.f_executable in 3.13) */
	__u16 frame_instruction;          /* .prev_instr (3.11, 3.12), .instr_ptr (3.13+), int .f_lasti (3.10) */
	__u16 frame_owner;                /* __u8 .owner; NO_FIELD in 3.10 */
	__u16 frame_is_entry;             /* __u8 .is_entry (3.11 only); NO_FIELD otherwise */
	__u16 code_bytecode;              /* PyCodeObject.co_code_adaptive (3.11+); NO_FIELD in 3.10 */
	__u8 frames_kind;                 /* enum profiler_python_frames_kind */
	__u8 thread_match;                /* enum profiler_python_thread_match */
	__u8 owner_cstack;                /* FRAME_OWNED_BY_CSTACK (3.12+): a shim frame, not Python; NO_OWNER before */
	__u8 reserved;
	__u32 reserved2;
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
