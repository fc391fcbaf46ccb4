// Home: the four services and the health of the connection.
const app = getApp();

Page({
  data: {
    services: [
      { key: 'dibao', title: '低保申请' },
      { key: 'elderly', title: '高龄津贴' },
      { key: 'marriage', title: '婚姻登记预约' },
      { key: 'disaster', title: '灾情报告' },
    ],
    offline: false,
  },
  async onShow() {
    try {
      await app.api.get('/health');
      this.setData({ offline: false });
    } catch (error) {
      this.setData({ offline: true });
    }
  },
  openService(event) {
    if (event.currentTarget.dataset.key === 'dibao') wx.navigateTo({ url: '/pages/apply/apply' });
  },
});
