// What every page shares: 长辈模式 (read on each show), and the sign-in gate.
const applications = require('../logic/applications');
const elder = require('../logic/elder');

function withCommon(definition) {
  const { onShow, needsSignIn, data } = definition;
  return {
    ...definition,
    data: { elder: false, ...data },
    onShow(...args) {
      this.setData({ elder: elder.isOn(wx) });
      if (needsSignIn && !getApp().api.signedIn()) {
        wx.navigateTo({ url: '/pages/login/login' });
        return undefined;
      }
      return onShow ? onShow.apply(this, args) : undefined;
    },
    // One message, the API's Chinese one, in a toast long enough to read.
    showError(error) {
      wx.showToast({ title: (error && error.message) || '操作失败,请重试', icon: 'none', duration: 3000 });
    },
  };
}



// The two application forms: an agent applies on behalf (代办); after saving, the
// materials page of the new case, or word that it waits for the network.
function caseForm(definition) {
  return withCommon({
    ...definition,
    needsSignIn: true,
    onLoad() {
      const user = getApp().api.currentUser();
      const agent = Boolean(user) && user.role === 'agent';
      this.setData({ agent, 'form.on_behalf': agent });
    },
    onInput(event) {
      this.setData({ [`form.${event.currentTarget.dataset.field}`]: event.detail.value });
    },
    chooseRegion(event) {
      this.setData({ 'form.region_code': event.detail.code });
    },
    async openCase(body) {
      this.setData({ busy: true });
      const outcome = await applications.open(getApp().api, body);
      this.setData({ busy: false, errors: outcome.errors });
      if (outcome.application) {
        wx.redirectTo({ url: `/pages/materials/materials?id=${outcome.application.id}` });
      } else if (outcome.queued) {
        wx.showModal({ title: '已保存', content: outcome.message, showCancel: false, success: () => wx.navigateBack() });
      } else {
        this.showError(outcome);
      }
    },
  });
}
module.exports = { caseForm, withCommon };
