/* engine_internal.h — what other parts of the library may ask of an engine. */
#ifndef CUSTOS_ENGINE_INTERNAL_H
#define CUSTOS_ENGINE_INTERNAL_H

#include "bundle.h"
#include "custos.h"

/* A new reference to the engine's current bundle (release with bundle_unref). */
bundle *engine_current_bundle(custos_engine *eng);

/* A copy of the configuration the engine serves (free with custos_config_free). */
custos_status engine_config_copy(custos_engine *eng, custos_config **out);

#endif
