#include "psm/version.h"

#include <cmark.h>
#include <git2.h>
#include <yaml.h>

#include "psm/error.h"

int psm_library_versions(struct strbuf *out)
{
	int major = 0, minor = 0, rev = 0;

	if (git_libgit2_version(&major, &minor, &rev) < 0)
		return psm_error(PSM_ERROR, "libgit2 did not say its version");
	strbuf_addf(out, "libgit2 %d.%d.%d\n", major, minor, rev);
	strbuf_addf(out, "libyaml %s\n", yaml_get_version_string());
	strbuf_addf(out, "cmark %s\n", cmark_version_string());
	return out->oom ? psm_oom() : 0;
}
