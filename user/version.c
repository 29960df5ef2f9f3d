// SPDX-License-Identifier: GPL-2.0
#include "version.h"

const char *daxtrace_version(void)
{
	return "0.0.0";
}
