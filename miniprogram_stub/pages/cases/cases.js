// 我的办件: the cases I applied for (or, for an agent, applied for on behalf).
const { withCommon } = require('../../utils/page');
const applications = require('../../logic/applications');

Page(
  withCommon({
    needsSignIn: true,
    data: { cases: [], loaded: false },
    async onShow() {
      try {
        this.setData({ cases: await applications.mine(getApp().api), loaded: true });
      } catch (error) {
        this.showError(error);
      }
    },
    open(event) {
      wx.navigateTo({ url: `/pages/case/case?id=${event.currentTarget.dataset.id}` });
    },
  }),
);
