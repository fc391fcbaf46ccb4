// 高龄津贴申请: one person (no household); the age band is the server's to check.
const { caseForm } = require('../../utils/page');
const applications = require('../../logic/applications');

Page(
  caseForm({
    data: {
      agent: false,
      form: { name: '', id_number: '', phone: '', region_code: '', on_behalf: false },
      errors: {},
      busy: false,
    },
    save() {
      return this.openCase(applications.elderlyBody(this.data.form));
    },
  }),
);
