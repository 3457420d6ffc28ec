/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * --trace FILE: a Chrome/Perfetto trace-event JSON ({"traceEvents": [...]})
 * with one track for the host (tid 0) and one per vCPU (tid = index + 1):
 * complete events ("X") for KVM_RUN, REC_ENTER and the handling of each
 * exit, instant events ("i") for every other RMI call, with arguments and
 * results. Timestamps are microseconds of CLOCK_MONOTONIC. Thread-safe.
 */
#ifndef REALMKIT_VMM_TRACE_H
#define REALMKIT_VMM_TRACE_H

#include <stdint.h>

#include "vmm.h"

#define TRACE_HOST (-1)

struct vmm_trace;

/* Opens path and writes the track names. NULL (err set) on failure. */
struct vmm_trace *trace_open(const char *path, unsigned int nr_vcpus, struct vmm_err *err);

/* Ends the JSON and closes the file. NULL is ignored. */
void trace_close(struct vmm_trace *t);

/* CLOCK_MONOTONIC in ns. */
uint64_t trace_now_ns(void);

/*
 * A span [start_ns, end_ns) named name on the track of vcpu (TRACE_HOST for
 * the host). args_json is the inside of the "args" object ("\"k\": v, ...")
 * or NULL. t NULL: nothing.
 */
void trace_span(struct vmm_trace *t, int vcpu, const char *name, uint64_t start_ns, uint64_t end_ns,
		const char *args_json);

/* An instant event. */
void trace_instant(struct vmm_trace *t, int vcpu, const char *name, uint64_t ts_ns,
		   const char *args_json);

/*
 * An RMI call the host made: REC_ENTER becomes a span, every other command
 * an instant event named after it, with X1..X6 in and X0..X4 out.
 */
void trace_rmi(struct vmm_trace *t, int vcpu, uint64_t fid, const uint64_t args[6],
	       const uint64_t ret[5], uint64_t start_ns, uint64_t end_ns);

/* Name of an RMI FID ("RMI_DATA_CREATE"), or NULL. */
const char *trace_rmi_name(uint64_t fid);

#endif /* REALMKIT_VMM_TRACE_H */
