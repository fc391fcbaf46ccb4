// 首页: the four services, 长辈模式, and what still waits to be sent.
const { withCommon } = require('../../utils/page');
const elder = require('../../logic/elder');
const home = require('../../logic/home');

Page(
  withCommon({
    data: { services: [], user: null, waiting: 0, refused: [] },
    onShow() {
      this.setData(home.view(getApp().api));
    },
    toggleElder(event) {
      this.setData({ elder: elder.set(wx, event.detail.value) });
    },
    open(event) {
      const { url } = event.currentTarget.dataset;
      if (home.TABS.includes(url)) wx.switchTab({ url });
      else wx.navigateTo({ url });
    },
    signIn() {
      wx.navigateTo({ url: '/pages/login/login' });
    },
    async signOut() {
      await getApp().api.logout().catch(() => null);
      this.setData(home.view(getApp().api));
    },
    async sendNow() {
      const result = await getApp().api.flushOutbox();
      getApp().tellFlushed(result);
      this.setData(home.view(getApp().api));
    },
  }),
);
