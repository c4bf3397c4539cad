/* SPDX-License-Identifier: (GPL-2.0-only OR BSD-2-Clause) */
/*
 * The user-stack unwinder of sample_cpu_unwind, included once by profiler.bpf.c (it uses that file's maps and
 * kernel type declarations).
 *
 * Starting from the user registers at the sample, each step finds the mapping holding the PC in the process's
 * sorted mapping list (process_mappings), binary-searches that file's unwind rows (an array map in
 * unwind_tables, built in user space from .eh_frame / .debug_frame), computes the CFA, and reads the caller's
 * RBP and return address with bpf_probe_read_user. Code with no rows (JIT, anonymous memory, files whose table
 * is not loaded yet, ranges without call-frame information) is stepped by frame pointer, so frame-pointer
 * stacks walk as they did under bpf_get_stack.
 *
 * Bounded for the verifier on every kernel that has bpf_loop (5.17+): bpf_loop runs at most PROFILER_MAX_FRAMES
 * steps, each with two constant-bounded binary searches (mappings: 8 probes; rows of one bucket: 24 probes, though
 * a bucket holds a few rows).
 */
#ifndef COLLECTOR_UNWINDER_BPF_H
#define COLLECTOR_UNWINDER_BPF_H

/* 2^24 rows (192 MiB of table) is far beyond any real file; user space refuses larger tables. */
#define UNWIND_ROW_SEARCH_STEPS 24
#define UNWIND_MAPPING_SEARCH_STEPS 8 /* 2^8 > PROFILER_MAX_MAPPINGS */
#define UNWIND_MAX_ROWS (1u << UNWIND_ROW_SEARCH_STEPS)

_Static_assert(sizeof(struct profiler_unwind_row) == 12, "unwind row layout (unwinding/Table/UnwindRowLayout.cs)");
_Static_assert((1 << UNWIND_MAPPING_SEARCH_STEPS) > PROFILER_MAX_MAPPINGS, "mapping search bound");
_Static_assert((PROFILER_MAX_MAPPINGS & (PROFILER_MAX_MAPPINGS - 1)) == 0, "mapping index mask");

/*
 * The rows of one file. Each table is created by user space with exactly its row count (BPF_F_INNER_MAP lets inner
 * arrays differ in size). Sizes, not BTF types: clang emits the row struct, reached only through this template, as a
 * forward declaration libbpf cannot size.
 */
struct unwind_rows {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_INNER_MAP);
	__uint(max_entries, 1);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(struct profiler_unwind_row));
};

/*
 * Table id -> that file's rows. A file's table is shared by every process that maps it. An array, not a hash: its
 * lookup compiles to an index into an array of pointers, where a hash cost a hash computation and two cold cache
 * lines for every frame. Slot 0 stays empty ("no table"); user space hands ids out (bpf/TableIds.cs).
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, PROFILER_MAX_TABLES);
	__type(key, __u32);
	__array(values, struct unwind_rows);
} unwind_tables SEC(".maps");

/* pid (tgid) -> its executable file mappings. Allocated on insert: memory follows the processes tracked. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, PROFILER_MAX_PROCESSES);
	__type(key, __u32);
	__type(value, struct profiler_process_mappings);
} process_mappings SEC(".maps");

/* The walk's registers and progress. */
struct unwind_state {
	__u64 pc;
	__u64 sp;
	__u64 bp;
	__u32 pid;
	__u32 base;   /* index in sample->data of the first user frame */
	__u32 frames; /* user frames written */
	__u32 stop;   /* enum profiler_user_stop, set when the walk ends */
	/* pc is where execution was (the leaf, or the interrupted instruction of a signal frame), not a return address */
	__u32 precise;
	/*
	 * Bounds of the binary search in progress. Kept here, not in registers, on purpose: read back from the map they
	 * are values the verifier knows nothing about, so every path through one probe looks the same to it and is
	 * checked once. In registers, each taken branch would narrow their ranges differently and the verifier would
	 * walk all 2^24 paths of the row search (and give up).
	 */
	__u32 low;
	__u32 high;
};

/*
 * The state lives in a map, not on the stack: the verifier knows nothing of a map value's contents, so it checks
 * unwind_step once for any frame. On the stack, frame counts and registers would be known constants, and it would
 * verify the step again for each of the 127 iterations (and give up).
 */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct unwind_state);
} unwind_scratch SEC(".maps");

/* Ends the walk with a reason; returns bpf_loop's "stop" value. */
static __always_inline long unwind_stop(struct unwind_state *st, __u32 reason)
{
	st->stop = reason;
	return 1;
}

/*
 * One frame-pointer step: RBP points at the saved caller RBP, with the return address above it. When the chain
 * ends (RBP zero or not above the stack pointer, unreadable, return address 0) the walk stops with the reason
 * why no table was used for this frame.
 */
static __always_inline long unwind_frame_pointer(struct unwind_state *st, __u32 reason)
{
	__u64 saved[2]; /* caller's RBP, return address */

	if (st->bp == 0 || st->bp < st->sp || (st->bp & 7) != 0)
		return unwind_stop(st, reason);
	if (bpf_probe_read_user(saved, sizeof(saved), (void *)st->bp) != 0 || saved[1] == 0)
		return unwind_stop(st, reason);
	st->sp = st->bp + 16;
	st->bp = saved[0];
	st->pc = saved[1];
	st->precise = 0;
	return 0;
}

/* The interrupted registers of a signal frame: RSP points at the kernel's ucontext_t (see profiler.h). */
static __always_inline long unwind_signal_frame(struct unwind_state *st)
{
	__u64 regs[(PROFILER_SIGNAL_RIP - PROFILER_SIGNAL_RBP) / 8 + 1];

	if (bpf_probe_read_user(regs, sizeof(regs), (void *)(st->sp + PROFILER_SIGNAL_RBP)) != 0)
		return unwind_stop(st, PROFILER_STOP_READ_FAULT);
	st->bp = regs[0];
	st->sp = regs[(PROFILER_SIGNAL_RSP - PROFILER_SIGNAL_RBP) / 8];
	st->pc = regs[(PROFILER_SIGNAL_RIP - PROFILER_SIGNAL_RBP) / 8];
	st->precise = 1; /* the interrupted instruction itself, not a return address */
	return st->pc == 0 ? unwind_stop(st, PROFILER_STOP_READ_FAULT) : 0;
}

/* One step of the table: CFA, then the caller's RBP and return address. */
static __always_inline long unwind_by_row(struct unwind_state *st, const struct profiler_unwind_row *row)
{
	__u32 ra_rule = (row->rules >> 2) & 3;
	__u32 rbp_rule = row->rules & 3;
	__u64 cfa;
	__u64 ra;
	__u64 bp;

	switch (row->cfa_kind) {
	case PROFILER_CFA_RSP:
		cfa = st->sp + row->cfa_offset;
		break;
	case PROFILER_CFA_RBP:
		if (st->bp == 0)
			return unwind_stop(st, PROFILER_STOP_UNSUPPORTED); /* RBP was lost to an unsupported rule */
		cfa = st->bp + row->cfa_offset;
		break;
	case PROFILER_CFA_PLT:
		cfa = st->sp + row->cfa_offset + ((st->pc & 15) >= 11 ? 8 : 0);
		break;
	case PROFILER_CFA_SIGNAL:
		return unwind_signal_frame(st);
	case PROFILER_CFA_FRAME_POINTER:
		return unwind_frame_pointer(st, PROFILER_STOP_NO_TABLE);
	default:
		return unwind_stop(st, PROFILER_STOP_UNSUPPORTED);
	}
	if (ra_rule == PROFILER_RA_UNDEFINED)
		return unwind_stop(st, PROFILER_STOP_COMPLETE);
	if (ra_rule != PROFILER_RA_AT_CFA_MINUS_8)
		return unwind_stop(st, PROFILER_STOP_UNSUPPORTED);
	/* Callers live above their callees: a CFA at or below RSP is a bad row or a corrupt stack, and could loop. */
	if (cfa <= st->sp)
		return unwind_stop(st, PROFILER_STOP_UNSUPPORTED);
	if (bpf_probe_read_user(&ra, sizeof(ra), (void *)(cfa - 8)) != 0)
		return unwind_stop(st, PROFILER_STOP_READ_FAULT);
	if (rbp_rule == PROFILER_RBP_AT_CFA) {
		if (bpf_probe_read_user(&bp, sizeof(bp), (void *)(cfa + row->rbp_offset)) != 0)
			return unwind_stop(st, PROFILER_STOP_READ_FAULT);
		st->bp = bp;
	} else if (rbp_rule != PROFILER_RBP_UNCHANGED) {
		st->bp = 0; /* unknown from here: a later row needing it stops the walk */
	}
	/* Threads and _start without CFI for their entry end with a zero return address. */
	if (ra == 0)
		return unwind_stop(st, PROFILER_STOP_COMPLETE);
	st->sp = cfa;
	st->pc = ra;
	st->precise = 0;
	return 0;
}

/* The search bounds as the verifier should see them: unknown (see unwind_state.low). */
#define SEARCH_LOW(st) (*(volatile __u32 *)&(st)->low)
#define SEARCH_HIGH(st) (*(volatile __u32 *)&(st)->high)

/* Index of the mapping holding pc, or -1. Mappings are sorted by start and do not overlap. */
static __always_inline int find_mapping(struct unwind_state *st, const struct profiler_process_mappings *pm, __u64 pc)
{
	__u32 count = pm->count;
	__u32 low;
	__u32 found;

	if (count > PROFILER_MAX_MAPPINGS)
		count = PROFILER_MAX_MAPPINGS;
	st->low = 0;
	st->high = count;
	for (int i = 0; i < UNWIND_MAPPING_SEARCH_STEPS; i++) {
		__u32 middle;

		low = SEARCH_LOW(st);
		if (low >= SEARCH_HIGH(st))
			break;
		middle = (low + SEARCH_HIGH(st)) / 2;
		if (pc < pm->mappings[middle & (PROFILER_MAX_MAPPINGS - 1)].start)
			st->high = middle;
		else
			st->low = middle + 1;
	}
	low = SEARCH_LOW(st);
	if (low == 0)
		return -1;
	found = (low - 1) & (PROFILER_MAX_MAPPINGS - 1);
	return pc < pm->mappings[found].end ? (int)found : -1;
}

/*
 * The last row starting at or below vaddr, or null when vaddr lies below the first row: the mapping's bucket gives the
 * few rows that can hold it (see struct profiler_unwind_bucket), and a binary search picks among them.
 */
static __always_inline const struct profiler_unwind_row *find_row(struct unwind_state *st, void *rows,
								  const struct profiler_mapping *mapping, __u64 vaddr)
{
	const struct profiler_unwind_bucket *bucket;
	__u64 bucket_number;
	__u32 bucket_slot;
	__u32 low;
	__u32 index;

	if (vaddr < mapping->index_base || mapping->index_buckets == 0)
		return 0;
	bucket_number = (vaddr - mapping->index_base) >> (mapping->index_shift & 31);
	if (bucket_number >= mapping->index_buckets)
		bucket_number = mapping->index_buckets - 1;
	bucket_slot = mapping->rows + (__u32)bucket_number;
	bucket = bpf_map_lookup_elem(rows, &bucket_slot);
	if (!bucket)
		return 0; /* the mapping disagrees with the map: treat as no table */
	st->low = bucket->first;
	st->high = bucket->end;
	for (int i = 0; i < UNWIND_ROW_SEARCH_STEPS; i++) {
		const struct profiler_unwind_row *row;
		__u32 middle;

		low = SEARCH_LOW(st);
		if (low >= SEARCH_HIGH(st))
			break;
		middle = (low + SEARCH_HIGH(st)) / 2;
		row = bpf_map_lookup_elem(rows, &middle);
		if (!row)
			return 0;
		if (row->pc_start <= vaddr)
			st->low = middle + 1;
		else
			st->high = middle;
	}
	low = SEARCH_LOW(st);
	if (low == 0)
		return 0;
	index = low - 1;
	return bpf_map_lookup_elem(rows, &index);
}

/* bpf_loop callback: records st->pc as the next user frame, then steps to its caller. */
static long unwind_step(__u32 index, void *ctx)
{
	struct unwind_state *st;
	const struct profiler_process_mappings *pm;
	const struct profiler_unwind_row *row;
	struct profiler_sample *sample;
	struct profiler_unwind_row copy;
	__u32 zero = 0;
	__u32 slot;
	const struct profiler_mapping *mapping;
	__u32 table_id;
	__u64 lookup_pc;
	void *rows;
	long done;
	int found;

	st = bpf_map_lookup_elem(&unwind_scratch, &zero);
	if (!st)
		return 1;
	sample = bpf_map_lookup_elem(&sample_scratch, &zero);
	slot = st->base + st->frames;
	if (!sample || slot >= 2 * PROFILER_MAX_FRAMES)
		return unwind_stop(st, PROFILER_STOP_DEPTH);
	sample->data[slot] = st->pc;
	st->frames++;

	/* A return address points after the call, possibly past the caller's last byte (a noreturn call). */
	lookup_pc = st->precise ? st->pc : st->pc - 1;
	pm = bpf_map_lookup_elem(&process_mappings, &st->pid);
	found = pm ? find_mapping(st, pm, lookup_pc) : -1;
	if (!pm || found < 0) {
		done = unwind_frame_pointer(st, PROFILER_STOP_NO_MAPPING);
	} else {
		mapping = &pm->mappings[found & (PROFILER_MAX_MAPPINGS - 1)];
		table_id = mapping->table_id;
		rows = table_id != 0 ? bpf_map_lookup_elem(&unwind_tables, &table_id) : 0;
		row = rows ? find_row(st, rows, mapping, lookup_pc - mapping->bias) : 0;
		if (!row) {
			done = unwind_frame_pointer(st, PROFILER_STOP_NO_TABLE);
		} else {
			copy = *row;
			done = unwind_by_row(st, &copy);
		}
	}
	if (done)
		return 1;
	if (st->frames >= PROFILER_MAX_FRAMES)
		return unwind_stop(st, PROFILER_STOP_DEPTH);
	return 0;
}

#endif /* COLLECTOR_UNWINDER_BPF_H */
