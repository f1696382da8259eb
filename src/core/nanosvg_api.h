/* nanosvg_api.h — nanosvg's declarations (third_party/nanosvg, zlib licence); its code is compiled once, in
 * nanosvg.c, with the project's warnings off for that file alone. */
#ifndef MS_NANOSVG_API_H
#define MS_NANOSVG_API_H

#include <stdio.h> /* nanosvg.h declares nsvgParseFromFile with FILE-free types but expects stdio */

#include "nanosvg.h"
#include "nanosvgrast.h"

#endif
