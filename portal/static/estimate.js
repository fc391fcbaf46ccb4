// 自助测算: the household's incomes in, the server's figures out. No rule lives here.
(function () {
  const form = document.getElementById('estimate-form');
  const members = document.getElementById('members');
  const result = document.getElementById('result');
  const formError = document.getElementById('form-error');

  function memberRow() {
    const row = document.createElement('div');
    row.className = 'member';
    const index = members.children.length + 1;
    row.innerHTML =
      '<label>成员' + index + '月收入(元)<input name="monthly_income" inputmode="decimal" ' +
      'placeholder="0.00" value="0"></label><span class="field-error"></span>';
    return row;
  }

  function clearErrors() {
    formError.textContent = '';
    document.querySelectorAll('.field-error').forEach((el) => (el.textContent = ''));
  }

  function showErrors(error) {
    formError.textContent = error.message;
    Object.entries(error.details || {}).forEach(([field, messages]) => {
      const match = field.match(/^members\.(\d+)\./);
      const row = match ? members.children[Number(match[1])] : null;
      if (row) row.querySelector('.field-error').textContent = messages.join(';');
    });
  }

  function showResult(figures) {
    const perCapita = Number(figures.per_capita_income);
    const standard = Number(figures.standard_monthly);
    const widest = Math.max(perCapita, standard) || 1;
    result.hidden = false;
    result.querySelector('[data-field=verdict]').textContent = figures.eligible
      ? '人均收入低于当地低保标准,可以申请'
      : '人均收入不低于当地低保标准,暂不符合条件';
    result.querySelector('[data-field=per_capita_income]').textContent = figures.per_capita_income;
    result.querySelector('[data-field=standard_monthly]').textContent = figures.standard_monthly;
    result.querySelector('[data-field=monthly_amount]').textContent = figures.monthly_amount;
    result.querySelector('.bar.income').style.width = (100 * perCapita) / widest + '%';
    result.querySelector('.bar.standard').style.width = (100 * standard) / widest + '%';
  }

  document.getElementById('add-member').addEventListener('click', () => {
    members.appendChild(memberRow());
  });
  document.getElementById('remove-member').addEventListener('click', () => {
    if (members.children.length > 1) members.lastElementChild.remove();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearErrors();
    const incomes = [...members.querySelectorAll('input[name=monthly_income]')];
    const body = {
      area_type: form.area_type.value,
      members: incomes.map((input) => ({ monthly_income: input.value.trim() })),
    };
    try {
      showResult(await window.portalApi.post('/dibao/estimate', body));
    } catch (error) {
      result.hidden = true;
      showErrors(error);
    }
  });

  members.appendChild(memberRow());
})();
