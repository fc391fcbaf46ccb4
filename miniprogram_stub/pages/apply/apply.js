// An agent applies for a resident and their household (按户施保). The form shows the
// server's field errors beside the fields they name; no rule is checked here.
const app = getApp();

function emptyMember(relation) {
  return { name: '', id_number: '', relation, monthly_income: '0' };
}

Page({
  data: {
    form: { type: 'dibao', region_code: '', area_type: 'rural' },
    members: [emptyMember('self')],
    errors: {},
  },
  onInput(event) {
    this.setData({ [`form.${event.currentTarget.dataset.field}`]: event.detail.value });
  },
  onMemberInput(event) {
    const { index, field } = event.currentTarget.dataset;
    this.setData({ [`members[${index}].${field}`]: event.detail.value });
  },
  addMember() {
    this.setData({ members: [...this.data.members, emptyMember('child')] });
  },
  removeMember(event) {
    const index = event.currentTarget.dataset.index;
    if (index > 0) this.setData({ members: this.data.members.filter((_, i) => i !== index) });
  },
  async submit() {
    const { type, region_code: regionCode, area_type: areaType } = this.data.form;
    const [applicant] = this.data.members;
    const body = {
      type,
      region_code: regionCode,
      applicant: { name: applicant.name, id_number: applicant.id_number },
      on_behalf: true,
    };
    if (type === 'dibao') body.household = { area_type: areaType, members: this.data.members };
    try {
      const application = await app.api.create('/applications', body);
      this.setData({ errors: {} });
      wx.showToast({ title: `已保存:${application.number}` });
    } catch (error) {
      this.setData({ errors: error.details || {} });
      wx.showToast({ title: error.message, icon: 'none' });
    }
  },
});
