#ifndef TAPIR_CCURL_SHIM_H
#define TAPIR_CCURL_SHIM_H
#include <curl/curl.h>
#endif
