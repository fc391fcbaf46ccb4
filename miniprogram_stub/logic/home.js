// The home page's contents: the four services, the signed-in user, the outbox.
const labels = require('./labels');

const TABS = ['/pages/home/home', '/pages/cases/cases', '/pages/appointments/appointments', '/pages/inbox/inbox'];

function services(user) {
  const officer = Boolean(user) && user.role === 'disaster_officer';
  return [
    {
      key: 'dibao',
      title: '最低生活保障(低保)',
      desc: '先自测是否符合条件,再在线申请',
      links: [
        { text: '低保自测', url: '/pages/dibao-check/dibao-check' },
        { text: '申请低保', url: '/pages/dibao-apply/dibao-apply' },
      ],
    },
    {
      key: 'elderly',
      title: '高龄津贴',
      desc: '年满90周岁的老人可申请',
      links: [{ text: '申请高龄津贴', url: '/pages/elderly-apply/elderly-apply' }],
    },
    {
      key: 'marriage',
      title: '婚姻登记预约',
      desc: '预约到婚姻登记处办理的时段',
      links: [
        { text: '预约登记', url: '/pages/marriage/marriage' },
        { text: '我的预约', url: '/pages/appointments/appointments' },
      ],
    },
    {
      key: 'disaster',
      title: '灾情报告',
      desc: officer ? '灾害信息员报送灾情统计' : '发现灾情,拍照报告',
      links: officer
        ? [
            { text: '报送灾情', url: '/pages/disaster-report/disaster-report' },
            { text: '随手拍报灾', url: '/pages/disaster-tip/disaster-tip' },
          ]
        : [{ text: '随手拍报灾', url: '/pages/disaster-tip/disaster-tip' }],
    },
  ];
}

function view(api) {
  const user = api.currentUser();
  return {
    services: services(user),
    user: user ? { name: user.name, role: labels.label(labels.ROLE, user.role) } : null,
    waiting: api.outbox().length,
    refused: api.refused().map((item) => ({ key: item.idempotencyKey, text: `${item.label}:${item.message}` })),
  };
}

module.exports = { TABS, services, view };
