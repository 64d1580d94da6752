/**
 * Which catalog component an SLO belongs to. The `pave.dev/component` annotation wins (on the
 * SLO's document, else on the OpenSLO Service it names); otherwise the service name is the
 * component's name in the default namespace.
 */
import { parseEntityRef, stringifyEntityRef } from '../../core/entityRef.js';
import { COMPONENT_ANNOTATION } from '../model.js';

/** The component of an SLO, or the reason the annotation cannot name one. */
export type ComponentResult =
  | { component: string; componentSource: 'annotation' | 'service' }
  | { error: string };

/**
 * `annotations` are looked at in order (the SLO's own first); the first holding
 * `pave.dev/component` decides. Its value is an entity ref of kind Component, the kind optional
 * (`x`, `default/x` and `component:default/x` name the same component).
 */
export function sloComponent(
  service: string,
  ...annotations: (Record<string, string> | undefined)[]
): ComponentResult {
  for (const map of annotations) {
    const value = map?.[COMPONENT_ANNOTATION];
    if (value === undefined) continue;
    try {
      const ref = parseEntityRef(value.trim(), { defaultKind: 'component' });
      if (ref.kind.toLowerCase() !== 'component') {
        return { error: `${COMPONENT_ANNOTATION} must name a Component, not a ${ref.kind} ("${value}")` };
      }
      return { component: stringifyEntityRef(ref), componentSource: 'annotation' };
    } catch (error) {
      return {
        error: `${COMPONENT_ANNOTATION} "${value}" is not an entity ref: ${(error as Error).message}`,
      };
    }
  }
  return {
    component: stringifyEntityRef({ kind: 'component', namespace: 'default', name: service }),
    componentSource: 'service',
  };
}
