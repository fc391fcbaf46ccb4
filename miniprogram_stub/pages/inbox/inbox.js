// 消息: every notification the bureau sent me, newest first; opening one marks it read.
const { withCommon } = require('../../utils/page');
const inbox = require('../../logic/inbox');

Page(
  withCommon({
    needsSignIn: true,
    data: { items: [], unread: 0, loaded: false },
    async onShow() {
      try {
        this.setData({ ...(await inbox.load(getApp().api)), loaded: true });
        if (this.data.unread) wx.setTabBarBadge({ index: 3, text: String(this.data.unread) });
        else wx.removeTabBarBadge({ index: 3 });
      } catch (error) {
        this.showError(error);
      }
    },
    async open(event) {
      const { index } = event.currentTarget.dataset;
      const item = this.data.items[index];
      if (!item.read) {
        try {
          this.setData({ [`items[${index}]`]: await inbox.markRead(getApp().api, item.id), unread: this.data.unread - 1 });
        } catch (error) {
          this.showError(error);
        }
      }
      if (item.caseId) wx.navigateTo({ url: `/pages/case/case?id=${item.caseId}` });
    },
    async readAll() {
      try {
        await inbox.markAllRead(getApp().api);
        await this.onShow();
      } catch (error) {
        this.showError(error);
      }
    },
  }),
);
