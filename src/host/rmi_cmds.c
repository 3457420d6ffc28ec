/* SPDX-License-Identifier: BSD-3-Clause */
/* The host's RMI call wrappers, all through host_smc() (observer.c). */
#include "host_priv.h"

uint64_t rmi_version(uint64_t requested, uint64_t *lower, uint64_t *higher)
{
	struct smc_result r = host_smc(RMI_VERSION, requested, 0, 0, 0, 0, 0);

	if (lower)
		*lower = r.x[1];
	if (higher)
		*higher = r.x[2];
	return r.x[0];
}

uint64_t rmi_features(uint64_t index, uint64_t *value)
{
	struct smc_result r = host_smc(RMI_FEATURES, index, 0, 0, 0, 0, 0);

	*value = r.x[1];
	return r.x[0];
}

uint64_t rmi_granule_delegate(pa_t pa)
{
	return host_smc(RMI_GRANULE_DELEGATE, pa.v, 0, 0, 0, 0, 0).x[0];
}

uint64_t rmi_granule_undelegate(pa_t pa)
{
	return host_smc(RMI_GRANULE_UNDELEGATE, pa.v, 0, 0, 0, 0, 0).x[0];
}

static struct smc_result rmi(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			     uint64_t a5)
{
	return host_smc(fid, a1, a2, a3, a4, a5, 0);
}

uint64_t rmi_data_create(pa_t rd, pa_t data, uint64_t ipa, pa_t src, uint64_t flags)
{
	return rmi(RMI_DATA_CREATE, rd.v, data.v, ipa, src.v, flags).x[0];
}

uint64_t rmi_data_create_unknown(pa_t rd, pa_t data, uint64_t ipa)
{
	return rmi(RMI_DATA_CREATE_UNKNOWN, rd.v, data.v, ipa, 0, 0).x[0];
}

uint64_t rmi_data_destroy(pa_t rd, uint64_t ipa, pa_t *data, uint64_t *top)
{
	struct smc_result r = rmi(RMI_DATA_DESTROY, rd.v, ipa, 0, 0, 0);

	if (data)
		*data = pa_of(r.x[1]);
	if (top)
		*top = r.x[2];
	return r.x[0];
}

uint64_t rmi_realm_activate(pa_t rd)
{
	return rmi(RMI_REALM_ACTIVATE, rd.v, 0, 0, 0, 0).x[0];
}

uint64_t rmi_realm_create(pa_t rd, pa_t params)
{
	return rmi(RMI_REALM_CREATE, rd.v, params.v, 0, 0, 0).x[0];
}

uint64_t rmi_realm_destroy(pa_t rd)
{
	return rmi(RMI_REALM_DESTROY, rd.v, 0, 0, 0, 0).x[0];
}

uint64_t rmi_rec_create(pa_t rd, pa_t rec, pa_t params)
{
	return rmi(RMI_REC_CREATE, rd.v, rec.v, params.v, 0, 0).x[0];
}

uint64_t rmi_rec_destroy(pa_t rec)
{
	return rmi(RMI_REC_DESTROY, rec.v, 0, 0, 0, 0).x[0];
}

uint64_t rmi_rec_enter(pa_t rec, pa_t run)
{
	return rmi(RMI_REC_ENTER, rec.v, run.v, 0, 0, 0).x[0];
}

uint64_t rmi_rtt_create(pa_t rd, pa_t rtt, uint64_t ipa, int level)
{
	return rmi(RMI_RTT_CREATE, rd.v, rtt.v, ipa, (uint64_t)(int64_t)level, 0).x[0];
}

uint64_t rmi_rtt_destroy(pa_t rd, uint64_t ipa, int level, pa_t *rtt, uint64_t *top)
{
	struct smc_result r = rmi(RMI_RTT_DESTROY, rd.v, ipa, (uint64_t)(int64_t)level, 0, 0);

	if (rtt)
		*rtt = pa_of(r.x[1]);
	if (top)
		*top = r.x[2];
	return r.x[0];
}

uint64_t rmi_rtt_fold(pa_t rd, uint64_t ipa, int level, pa_t *rtt)
{
	struct smc_result r = rmi(RMI_RTT_FOLD, rd.v, ipa, (uint64_t)(int64_t)level, 0, 0);

	if (rtt)
		*rtt = pa_of(r.x[1]);
	return r.x[0];
}

uint64_t rmi_rtt_map_unprotected(pa_t rd, uint64_t ipa, int level, uint64_t desc)
{
	return rmi(RMI_RTT_MAP_UNPROTECTED, rd.v, ipa, (uint64_t)(int64_t)level, desc, 0).x[0];
}

uint64_t rmi_rtt_unmap_unprotected(pa_t rd, uint64_t ipa, int level, uint64_t *top)
{
	struct smc_result r =
		rmi(RMI_RTT_UNMAP_UNPROTECTED, rd.v, ipa, (uint64_t)(int64_t)level, 0, 0);

	if (top)
		*top = r.x[1];
	return r.x[0];
}

uint64_t rmi_rtt_read_entry(pa_t rd, uint64_t ipa, int level, uint64_t out[4])
{
	struct smc_result r = rmi(RMI_RTT_READ_ENTRY, rd.v, ipa, (uint64_t)(int64_t)level, 0, 0);

	for (int i = 0; i < 4; i++)
		out[i] = r.x[i + 1];
	return r.x[0];
}

uint64_t rmi_psci_complete(pa_t calling_rec, pa_t target_rec, uint64_t status)
{
	return rmi(RMI_PSCI_COMPLETE, calling_rec.v, target_rec.v, status, 0, 0).x[0];
}

uint64_t rmi_rec_aux_count(pa_t rd, uint64_t *count)
{
	struct smc_result r = rmi(RMI_REC_AUX_COUNT, rd.v, 0, 0, 0, 0);

	*count = r.x[1];
	return r.x[0];
}

uint64_t rmi_rtt_init_ripas(pa_t rd, uint64_t base, uint64_t top, uint64_t *top_done)
{
	struct smc_result r = rmi(RMI_RTT_INIT_RIPAS, rd.v, base, top, 0, 0);

	if (top_done)
		*top_done = r.x[1];
	return r.x[0];
}

uint64_t rmi_rtt_set_ripas(pa_t rd, pa_t rec, uint64_t base, uint64_t top, uint64_t *top_done)
{
	struct smc_result r = rmi(RMI_RTT_SET_RIPAS, rd.v, rec.v, base, top, 0);

	if (top_done)
		*top_done = r.x[1];
	return r.x[0];
}
