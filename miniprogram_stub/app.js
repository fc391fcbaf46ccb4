// 民政掌上办 mini program: every rule lives behind /api/v1; pages only ask and show.
const config = require('./config');
const { createApi } = require('./utils/api');

App({
  globalData: { flushed: [] },

  onLaunch() {
    this.api = createApi({ baseUrl: config.apiBase, wx, templates: config.subscribeTemplates });
    // What waited offline goes out as soon as WeChat reports the network back.
    this.api.watchNetwork((result) => this.tellFlushed(result));
    wx.getNetworkType({
      success: ({ networkType }) => {
        if (networkType !== 'none') this.api.flushOutbox().then((result) => this.tellFlushed(result));
      },
    });
  },

  tellFlushed({ sent, refused }) {
    if (sent.length) wx.showToast({ title: `已补发${sent.length}项`, icon: 'success' });
    if (refused.length) {
      wx.showModal({
        title: '有事项未能提交',
        content: refused.map((item) => `${item.label}:${item.message}`).join('\n'),
        showCancel: false,
      });
    }
  },
});
