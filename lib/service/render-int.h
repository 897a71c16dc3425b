#ifndef PSM_RENDER_INT_H
#define PSM_RENDER_INT_H
/* What render.c and render-json.c share: the object's shape. */

/* A list field of the object: [] rather than null when absent. */
int render_list_key(const char *k);

#endif
