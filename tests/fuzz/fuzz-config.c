// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * vvp.conf(5): one file's text through the reader (config_parse_text(),
 * the line reader, inih, the keys), then what vvp_config_read() does
 * once every file is read (config_finish(): sections against num_vfs,
 * MACs, the implicit VFs) and the getters over the result. The input is
 * the file as it is on disk; vvp_config_read() adds only the open, the
 * ownership checks and the size cap (CFG_MAX_SIZE) around this.
 */
#include <stdlib.h>
#include <string.h>

#include "config-private.h"
#include "fuzz.h"

static struct vvp_ctx *ctx;

/* what a caller of the getters does with the result: touch all of it */
static void walk(struct vvp_config *config)
{
	struct vvp_config_pf *cpf;
	struct vvp_config_vf *cvf;
	size_t sum = 0;

	for (unsigned int i = 0; i < vvp_config_get_num_problems(config); i++)
		sum += strlen(vvp_config_get_problem(config, i));
	vvp_config_pf_foreach(config, cpf) {
		const char *s = vvp_config_pf_get_serial(cpf);
		const char *d = vvp_config_pf_get_driver(cpf);

		sum += strlen(vvp_config_pf_get_address(cpf)) +
		       (s ? strlen(s) : 0) + (d ? strlen(d) : 0) +
		       vvp_config_pf_get_num_vfs(cpf) +
		       vvp_config_pf_get_autoprobe(cpf) +
		       vvp_config_pf_get_transitional(cpf);
		vvp_config_vf_foreach(cpf, cvf) {
			const unsigned char *mac = vvp_config_vf_get_mac(cvf);

			d = vvp_config_vf_get_driver(cvf);
			sum += vvp_config_vf_get_index(cvf) +
			       (d ? strlen(d) : 0) + (mac ? mac[5] : 0) +
			       vvp_config_vf_get_mtu(cvf) +
			       vvp_config_vf_get_transitional(cvf);
		}
	}
	/* keep the loop */
	__asm__ volatile("" : : "r"(sum));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vvp_config *config;
	const char *file;

	if (!ctx && vvp_new(&ctx) < 0)
		return 0;
	config = config_new(ctx);
	if (!config)
		return 0;
	file = config_add_file(config, "fuzz.conf");
	/* the reader hands the parser a NUL-terminated copy; so does this */
	if (file) {
		char *text = fuzz_strndup(data, size);

		if (config_parse_text(config, file, text, size) == 0 &&
		    config_finish(config) == 0) {
			config_result(config);
			walk(config);
		}
		free(text);
	}
	vvp_config_unref(config);
	return 0;
}
