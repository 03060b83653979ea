// Submissions of forms marked data-vista-form="name": the form name and its field names, never the
// values (unless formValues). A field marked data-vista-identify (an email on a contest or coupon
// page) identifies the visitor with that trait.
import type { Props } from '../types';

/** Properties of a 'Form Submitted' event for `form`. */
export function formProps(form: HTMLFormElement, values: boolean): Props {
  const fields: string[] = [];
  const vals: Record<string, string> = {};
  for (const el of form.elements) {
    const { name, type, value, checked } = el as HTMLInputElement;
    if (!name) continue;
    if (!fields.includes(name)) fields.push(name);
    if (values && !/password|file/.test(type) && (!/checkbox|radio/.test(type) || checked)) vals[name] = value;
  }
  return { form: form.dataset.vistaForm, fields, values: values ? vals : undefined };
}

/** The trait a data-vista-identify field gives, e.g. {email}; its attribute value names the trait. */
export function identifyTraits(form: HTMLFormElement): Props | undefined {
  const el = form.querySelector<HTMLInputElement>('[data-vista-identify]');
  const v = el?.value.trim();
  if (v) return { [el!.dataset.vistaIdentify || 'email']: v };
}

export function installForms(
  track: (event: string, p: Props) => void,
  identify: (traits: Props) => void,
  values: boolean,
): void {
  document.addEventListener(
    'submit',
    (e) => {
      const f = e.target;
      if (!(f instanceof HTMLFormElement) || f.dataset.vistaForm == null) return;
      const traits = identifyTraits(f);
      if (traits) identify(traits);
      track('Form Submitted', formProps(f, values));
    },
    true,
  );
}
