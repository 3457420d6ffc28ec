/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Physical CPUs: one per host thread that runs RECs (see pcpu.h and
 * realmkit/platform.h). CPUs are allocated once and kept on a list for the
 * life of the process, so a handle a host keeps never dangles; a released
 * CPU (its thread exited) goes back to a free pool for the next thread.
 *
 * Locking: `cpu->lock` protects the engine pointer against a concurrent
 * kick (platform_cpu_kick() calls engine_kick() under it) and pairs with
 * `cpu->cond` for pcpu_wait_irq(); the pending flag itself is atomic. The
 * pool lock protects the list and the in_use flags. Only the owning thread
 * creates or destroys the engine.
 */
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "pcpu.h"

struct platform_cpu {
	pthread_mutex_t lock;
	pthread_cond_t cond; /* CLOCK_MONOTONIC */
	atomic_bool irq;     /* a physical IRQ is pending */
	struct engine *engine;
	uint64_t epoch;	 /* the RMM boot epoch the engine was created for */
	uint64_t serial; /* unique number of the engine (never reused) */
	bool in_use;	 /* owned by a live thread (pool lock) */
	struct platform_cpu *next;
};

static _Atomic uint64_t engine_serial;
static pthread_mutex_t pool_lock = PTHREAD_MUTEX_INITIALIZER;
static struct platform_cpu *pool; /* every CPU ever created */
static pthread_once_t key_once = PTHREAD_ONCE_INIT;
static pthread_key_t cpu_key;
static __thread struct platform_cpu *this_cpu;

uint64_t pcpu_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

uint64_t pcpu_counter(void)
{
	return pcpu_now_ns() / PCPU_COUNTER_NS;
}

/* The engine goes with the thread: destroyed on the thread that used it (engine.h). */
static void cpu_drop_engine(struct platform_cpu *c)
{
	struct engine *e;

	pthread_mutex_lock(&c->lock);
	e = c->engine;
	c->engine = NULL;
	pthread_mutex_unlock(&c->lock);
	engine_destroy(e);
}

static void cpu_release(struct platform_cpu *c)
{
	cpu_drop_engine(c);
	pthread_mutex_lock(&pool_lock);
	c->in_use = false;
	pthread_mutex_unlock(&pool_lock);
}

/* pthread key destructor: the thread is exiting. */
static void cpu_key_destructor(void *p)
{
	cpu_release(p);
}

static bool key_ok;

static void make_key(void)
{
	key_ok = pthread_key_create(&cpu_key, cpu_key_destructor) == 0;
}

static struct platform_cpu *cpu_new(void)
{
	struct platform_cpu *c = calloc(1, sizeof(*c));
	pthread_condattr_t attr;

	if (!c)
		return NULL;
	pthread_mutex_init(&c->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&c->cond, &attr);
	pthread_condattr_destroy(&attr);
	atomic_init(&c->irq, false);
	return c;
}

/* A free CPU from the pool, or a new one; NULL only when out of memory. */
static struct platform_cpu *cpu_claim(void)
{
	struct platform_cpu *c;

	pthread_mutex_lock(&pool_lock);
	for (c = pool; c; c = c->next) {
		if (!c->in_use)
			break;
	}
	if (!c) {
		c = cpu_new();
		if (c) {
			c->next = pool;
			pool = c;
		}
	}
	if (c) {
		c->in_use = true;
		/* A kick meant for the CPU's previous thread is not this thread's. */
		atomic_store(&c->irq, false);
	}
	pthread_mutex_unlock(&pool_lock);
	return c;
}

struct platform_cpu *platform_this_cpu(void)
{
	if (this_cpu)
		return this_cpu;
	pthread_once(&key_once, make_key);
	if (!key_ok)
		return NULL;
	this_cpu = cpu_claim();
	if (this_cpu)
		pthread_setspecific(cpu_key, this_cpu);
	return this_cpu;
}

void platform_cpu_release(void)
{
	struct platform_cpu *c = this_cpu;

	if (!c)
		return;
	pthread_setspecific(cpu_key, NULL);
	this_cpu = NULL;
	cpu_release(c);
}

void platform_cpu_kick(struct platform_cpu *cpu)
{
	if (!cpu)
		return;
	atomic_store(&cpu->irq, true);
	pthread_mutex_lock(&cpu->lock);
	if (cpu->engine)
		engine_kick(cpu->engine);
	pthread_cond_broadcast(&cpu->cond);
	pthread_mutex_unlock(&cpu->lock);
}

struct engine *pcpu_engine(struct platform_cpu *cpu, uint64_t epoch)
{
	struct engine *e;

	if (!cpu)
		return NULL;
	if (cpu->engine && cpu->epoch == epoch)
		return cpu->engine;
	cpu_drop_engine(cpu);
	e = engine_create();
	if (!e) {
		fprintf(stderr, "pcpu: cannot create a CPU engine\n");
		return NULL;
	}
	pthread_mutex_lock(&cpu->lock);
	cpu->engine = e;
	cpu->epoch = epoch;
	cpu->serial = atomic_fetch_add(&engine_serial, 1) + 1;
	/* A kick that came before the engine existed must still stop it. */
	if (atomic_load(&cpu->irq))
		engine_kick(e);
	pthread_mutex_unlock(&cpu->lock);
	return e;
}

uint64_t pcpu_engine_serial(struct platform_cpu *cpu)
{
	return cpu->engine ? cpu->serial : 0;
}

void pcpu_engine_discard(struct platform_cpu *cpu)
{
	cpu_drop_engine(cpu);
}

bool pcpu_irq_pending(struct platform_cpu *cpu)
{
	return atomic_load(&cpu->irq);
}

bool pcpu_irq_take(struct platform_cpu *cpu)
{
	return atomic_exchange(&cpu->irq, false);
}

static struct timespec ts_of(uint64_t ns)
{
	return (struct timespec){ .tv_sec = (time_t)(ns / 1000000000ULL),
				  .tv_nsec = (long)(ns % 1000000000ULL) };
}

bool pcpu_wait_irq(struct platform_cpu *cpu, uint64_t deadline_ns)
{
	struct timespec ts = ts_of(deadline_ns);
	int err = 0;

	pthread_mutex_lock(&cpu->lock);
	while (!atomic_load(&cpu->irq) && err != ETIMEDOUT) {
		if (deadline_ns == PCPU_NO_DEADLINE)
			err = pthread_cond_wait(&cpu->cond, &cpu->lock);
		else
			err = pthread_cond_timedwait(&cpu->cond, &cpu->lock, &ts);
	}
	pthread_mutex_unlock(&cpu->lock);
	return atomic_load(&cpu->irq);
}
