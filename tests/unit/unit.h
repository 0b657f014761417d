/* SPDX-License-Identifier: Apache-2.0 */
/* unit.h — what every cmocka unit test includes. */
#ifndef KS_UNIT_H
#define KS_UNIT_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#endif
