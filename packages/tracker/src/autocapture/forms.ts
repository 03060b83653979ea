// Submissions of forms marked data-vista-form="name": the form name and its field names, never the
// values. The one exception: a field marked data-vista-identify (an email on a contest or coupon
// page) identifies the visitor with traits {email}.
import { identify, track } from '../events';
import { on } from '../listen';

export function installForms(): void {
  on('submit', (e: SubmitEvent) => {
    const f = e.target as HTMLFormElement;
    const form = f.dataset.vistaForm;
    if (form != null) {
      const email = f.querySelector<HTMLInputElement>('[data-vista-identify]')?.value.trim();
      if (email) identify(null, { email });
      track('Form Submitted', { form, fields: [...new FormData(f).keys()] });
    }
  });
}
