// 我的预约: each appointment, cancelling one, and the check-in QR for the counter.
const { withCommon } = require('../../utils/page');
const marriage = require('../../logic/marriage');

Page(
  withCommon({
    needsSignIn: true,
    data: { appointments: [], loaded: false, qr: null },
    async onShow() {
      await this.reload();
    },
    async reload() {
      try {
        this.setData({ appointments: await marriage.mine(getApp().api), loaded: true });
      } catch (error) {
        this.showError(error);
      }
    },
    async showQr(event) {
      const { id, code } = event.currentTarget.dataset;
      try {
        this.setData({ qr: { path: await marriage.checkinQr(getApp().api, id), code } });
      } catch (error) {
        this.showError(error);
      }
    },
    hideQr() {
      this.setData({ qr: null });
    },
    cancel(event) {
      const { id } = event.currentTarget.dataset;
      wx.showModal({
        title: '取消预约',
        content: '取消后该时段将让给他人,确定取消吗?',
        success: async ({ confirm }) => {
          if (!confirm) return;
          const outcome = await marriage.cancel(getApp().api, id);
          if (outcome.appointment) await this.reload();
          else this.showError(outcome);
        },
      });
    },
    book() {
      wx.navigateTo({ url: '/pages/marriage/marriage' });
    },
  }),
);
