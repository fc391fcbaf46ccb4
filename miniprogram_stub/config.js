// What a deployment sets before uploading the mini program (see README.md).
module.exports = {
  // The backend's /api/v1 over HTTPS; its domain must be a legal request, uploadFile and
  // downloadFile domain in the mini program's admin console.
  apiBase: 'https://minzheng.example.gov.cn/api/v1',
  // Subscribe-message template ids from the admin console, by what they tell the user.
  // Left empty, the mini program does not ask for consent and the inbox alone carries
  // the news.
  subscribeTemplates: {
    case_progress: [],
    appointment: [],
    disaster: [],
  },
};
