// 办件进度: where the case stands, each step so far, the files, and what I may do now.
const { withCommon } = require('../../utils/page');
const applications = require('../../logic/applications');

Page(
  withCommon({
    needsSignIn: true,
    data: { id: null, view: null, busy: false },
    onLoad(query) {
      this.setData({ id: Number(query.id) });
    },
    async onShow() {
      try {
        this.setData({ view: await applications.progress(getApp().api, this.data.id) });
      } catch (error) {
        this.showError(error);
      }
    },
    materials() {
      wx.navigateTo({ url: `/pages/materials/materials?id=${this.data.id}` });
    },
    submit() {
      return this.run(this.data.view.submitAction);
    },
    // Resolves once the withdrawal (if confirmed) is done.
    withdraw() {
      return new Promise((resolve) => {
        wx.showModal({
          title: '撤回申请',
          content: '撤回后该申请不再办理,确定撤回吗?',
          success: ({ confirm }) => resolve(confirm ? this.run('withdraw') : null),
        });
      });
    },
    async run(action) {
      this.setData({ busy: true });
      const outcome = await applications.act(getApp().api, this.data.view, action);
      this.setData({ busy: false });
      if (outcome.application) this.setData({ view: applications.progressView(outcome.application) });
      else this.showError(outcome);
    },
  }),
);
