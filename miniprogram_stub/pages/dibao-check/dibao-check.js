// 低保自测: incomes in, the server's estimate out (no sign-in needed).
const { withCommon } = require('../../utils/page');
const selfcheck = require('../../logic/selfcheck');

Page(
  withCommon({
    data: { areaTypes: selfcheck.AREA_TYPES, areaIndex: 0, form: selfcheck.emptyForm(), result: null, errors: {}, busy: false },
    chooseArea(event) {
      const areaIndex = Number(event.detail.value);
      this.setData({ areaIndex, 'form.area_type': selfcheck.AREA_TYPES[areaIndex].value });
    },
    onIncome(event) {
      this.setData({ [`form.incomes[${event.currentTarget.dataset.index}]`]: event.detail.value });
    },
    addMember() {
      this.setData({ 'form.incomes': [...this.data.form.incomes, '0'] });
    },
    removeMember(event) {
      const index = event.currentTarget.dataset.index;
      this.setData({ 'form.incomes': this.data.form.incomes.filter((_, i) => i !== index) });
    },
    async check() {
      this.setData({ busy: true });
      const outcome = await selfcheck.check(getApp().api, this.data.form);
      this.setData({ busy: false, result: outcome.result, errors: outcome.errors });
      if (outcome.message) this.showError(outcome);
    },
    apply() {
      wx.navigateTo({ url: '/pages/dibao-apply/dibao-apply' });
    },
  }),
);
