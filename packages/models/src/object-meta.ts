/** Name, namespace and labels: the metadata a fleet sets on the objects it creates. */
export interface ObjectMetaOptions {
  name: string;
  namespace?: string;
  labels?: Record<string, string>;
}

export function toObjectMeta({ name, namespace, labels }: ObjectMetaOptions): ObjectMetaOptions {
  return {
    name,
    ...(namespace === undefined ? {} : { namespace }),
    ...(labels === undefined || Object.keys(labels).length === 0 ? {} : { labels }),
  };
}
