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
    // Resolves once the cancellation (if confirmed) is done.
    cancel(event) {
      const { id } = event.currentTarget.dataset;
      return new Promise((resolve) => {
        wx.showModal({
          title: '取消预约',
          content: '取消后该时段将让给他人,确定取消吗?',
          success: ({ confirm }) => resolve(confirm ? this.cancelConfirmed(id) : null),
        });
      });
    },
    async cancelConfirmed(id) {
      const outcome = await marriage.cancel(getApp().api, id);
      if (outcome.appointment) await this.reload();
      else this.showError(outcome);
    },
    book() {
      wx.navigateTo({ url: '/pages/marriage/marriage' });
    },
  }),
);
