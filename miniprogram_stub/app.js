// 民政掌上办 mini program: every rule lives behind /api/v1; pages only ask and show.
const { createApi } = require('./utils/api');

App({
  onLaunch() {
    this.api = createApi({
      baseUrl: 'https://minzheng.example.gov.cn/api/v1',
      request: wx.request,
      storage: { get: wx.getStorageSync, set: wx.setStorageSync },
    });
  },
});
