/** A model named with its provider once: provider `acme` with model `img-1` or `acme/img-1` is `acme/img-1`. */
export function modelLabel(provider: string, model: string): string {
  return model.startsWith(`${provider}/`) ? model : `${provider}/${model}`;
}

/** The same for a report's `by_model` key (`provider/model`): `acme/acme/img-fast` reads `acme/img-fast`. */
export function modelKeyLabel(key: string): string {
  return key.replace(/^([^/]+)\/\1\//, "$1/");
}
