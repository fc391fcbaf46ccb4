// An agent applies for a resident. The form shows the server's field errors as they come.
const app = getApp();

Page({
  data: { form: { type: 'dibao', region_code: '', name: '', id_number: '' }, errors: {} },
  onInput(event) {
    this.setData({ [`form.${event.currentTarget.dataset.field}`]: event.detail.value });
  },
  async submit() {
    const { type, region_code: regionCode, name, id_number: idNumber } = this.data.form;
    try {
      const application = await app.api.create('/applications', {
        type,
        region_code: regionCode,
        applicant: { name, id_number: idNumber },
        on_behalf: true,
      });
      wx.showToast({ title: `已保存:${application.number}` });
    } catch (error) {
      this.setData({ errors: error.details || {} });
      wx.showToast({ title: error.message, icon: 'none' });
    }
  },
});
