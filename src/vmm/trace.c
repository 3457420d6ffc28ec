/* SPDX-License-Identifier: BSD-3-Clause */
/* Chrome trace-event JSON writer (trace.h). */
#include <errno.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <realmkit/abi/rmi.h>

#include "trace.h"

struct vmm_trace {
	FILE *f;
	pthread_mutex_t lock;
	bool first;
	uint64_t t0;
};

uint64_t trace_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static int tid_of(int vcpu)
{
	return vcpu < 0 ? 0 : vcpu + 1;
}

/* Writes one event; called with the lock held. */
static void emit(struct vmm_trace *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void emit(struct vmm_trace *t, const char *fmt, ...)
{
	va_list ap;

	fputs(t->first ? "\n" : ",\n", t->f);
	t->first = false;
	va_start(ap, fmt);
	vfprintf(t->f, fmt, ap);
	va_end(ap);
}

static void thread_name(struct vmm_trace *t, int vcpu)
{
	char name[32];

	if (vcpu < 0)
		snprintf(name, sizeof(name), "host");
	else
		snprintf(name, sizeof(name), "vCPU %d", vcpu);
	emit(t,
	     "{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": 1, \"tid\": %d, "
	     "\"args\": {\"name\": \"%s\"}}",
	     tid_of(vcpu), name);
	emit(t,
	     "{\"name\": \"thread_sort_index\", \"ph\": \"M\", \"pid\": 1, \"tid\": %d, "
	     "\"args\": {\"sort_index\": %d}}",
	     tid_of(vcpu), tid_of(vcpu));
}

struct vmm_trace *trace_open(const char *path, unsigned int nr_vcpus, struct vmm_err *err)
{
	struct vmm_trace *t = calloc(1, sizeof(*t));

	if (!t) {
		vmm_errf(err, VMM_EXIT_ERROR, "--trace: out of memory");
		return NULL;
	}
	t->f = fopen(path, "w");
	if (!t->f) {
		vmm_errf(err, VMM_EXIT_ERROR, "--trace: %s: %s", path, strerror(errno));
		free(t);
		return NULL;
	}
	pthread_mutex_init(&t->lock, NULL);
	t->first = true;
	t->t0 = trace_now_ns();
	fputs("{\"displayTimeUnit\": \"ns\", \"traceEvents\": [", t->f);
	emit(t, "{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": 1, "
		"\"args\": {\"name\": \"realm\"}}");
	thread_name(t, TRACE_HOST);
	for (unsigned int i = 0; i < nr_vcpus; i++)
		thread_name(t, (int)i);
	return t;
}

void trace_close(struct vmm_trace *t)
{
	if (!t)
		return;
	fputs("\n]}\n", t->f);
	fclose(t->f);
	pthread_mutex_destroy(&t->lock);
	free(t);
}

static double us(const struct vmm_trace *t, uint64_t ns)
{
	return ns >= t->t0 ? (double)(ns - t->t0) / 1000.0 : 0.0;
}

void trace_span(struct vmm_trace *t, int vcpu, const char *name, uint64_t start_ns, uint64_t end_ns,
		const char *args_json)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	emit(t,
	     "{\"name\": \"%s\", \"ph\": \"X\", \"pid\": 1, \"tid\": %d, \"ts\": %.3f, "
	     "\"dur\": %.3f, \"args\": {%s}}",
	     name, tid_of(vcpu), us(t, start_ns),
	     end_ns > start_ns ? (double)(end_ns - start_ns) / 1000.0 : 0.0,
	     args_json ? args_json : "");
	pthread_mutex_unlock(&t->lock);
}

void trace_instant(struct vmm_trace *t, int vcpu, const char *name, uint64_t ts_ns,
		   const char *args_json)
{
	if (!t)
		return;
	pthread_mutex_lock(&t->lock);
	emit(t,
	     "{\"name\": \"%s\", \"ph\": \"i\", \"s\": \"t\", \"pid\": 1, \"tid\": %d, "
	     "\"ts\": %.3f, \"args\": {%s}}",
	     name, tid_of(vcpu), us(t, ts_ns), args_json ? args_json : "");
	pthread_mutex_unlock(&t->lock);
}

#define RMI_X_NAME_(name, fid, n_in, n_out) { fid, #fid },
static const struct {
	uint64_t fid;
	const char *name;
} rmi_names[] = { RMI_COMMAND_LIST(RMI_X_NAME_) };
#undef RMI_X_NAME_

const char *trace_rmi_name(uint64_t fid)
{
	for (size_t i = 0; i < sizeof(rmi_names) / sizeof(rmi_names[0]); i++)
		if (rmi_names[i].fid == fid)
			return rmi_names[i].name;
	return NULL;
}

void trace_rmi(struct vmm_trace *t, int vcpu, uint64_t fid, const uint64_t args[6],
	       const uint64_t ret[5], uint64_t start_ns, uint64_t end_ns)
{
	const char *name = trace_rmi_name(fid);
	char a[512], unknown[32];

	if (!t)
		return;
	if (!name) {
		snprintf(unknown, sizeof(unknown), "SMC 0x%llx", (unsigned long long)fid);
		name = unknown;
	}
	snprintf(a, sizeof(a),
		 "\"x1\": \"0x%llx\", \"x2\": \"0x%llx\", \"x3\": \"0x%llx\", \"x4\": \"0x%llx\", "
		 "\"x5\": \"0x%llx\", \"x6\": \"0x%llx\", \"status\": \"%s\", \"index\": %u, "
		 "\"ret\": [\"0x%llx\", \"0x%llx\", \"0x%llx\", \"0x%llx\", \"0x%llx\"]",
		 (unsigned long long)args[0], (unsigned long long)args[1],
		 (unsigned long long)args[2], (unsigned long long)args[3],
		 (unsigned long long)args[4], (unsigned long long)args[5],
		 rmi_status_name(rmi_status_of(ret[0])), rmi_index_of(ret[0]),
		 (unsigned long long)ret[0], (unsigned long long)ret[1], (unsigned long long)ret[2],
		 (unsigned long long)ret[3], (unsigned long long)ret[4]);
	if (fid == RMI_REC_ENTER)
		trace_span(t, vcpu, "REC_ENTER", start_ns, end_ns, a);
	else
		trace_instant(t, vcpu, name, start_ns, a);
}
