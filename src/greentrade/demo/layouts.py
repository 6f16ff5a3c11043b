"""Published layout facts the demo writers mimic (labels and orders, no data values).

The CEADs inventory labels are the row and column labels of the real files (two vintages:
2010-2017 with padded sector names, 2018-2019 with underscored fuel names); the sheet order
is the real files' order.
"""

# fmt: off
HEADER_2010 = ['', 'Raw Coal', 'Cleaned Coal', 'Other Washed Coal', 'Briquettes', 'Coke', 'Coke Oven Gas', 'Other Gas', 'Other Coking Products', 'Crude Oil', 'Gasoline', 'Kerosene', 'Diesel Oil', 'Fuel Oil', 'LPG', 'Refinery Gas', 'Other Petroleum Products', 'Natural Gas', 'Scope 2 Heat', 'Scope 2 Electricity', 'Other Energy', 'Process', 'Scope 1 Total']
UNIT_LABEL_2010 = ''
ROW_LABELS_2010 = ['Total Consumption', 'Farming, Forestry, Animal Husbandry, Fishery and Water Conservancy      ', 'Coal Mining and Dressing                                 ', 'Petroleum and Natural Gas Extraction                     ', 'Ferrous Metals Mining and Dressing                       ', 'Nonferrous Metals Mining and Dressing                    ', 'Nonmetal Minerals Mining and Dressing                    ', 'Other Minerals Mining and Dressing                       ', 'Logging and Transport of Wood and Bamboo                 ', 'Food Processing                                          ', 'Food Production                                          ', 'Beverage Production', 'Tobacco Processing                                       ', 'Textile Industry                                         ', 'Garments and Other Fiber Products                        ', 'Leather, Furs, Down and Related Products                 ', 'Timber Processing, Bamboo, Cane, Palm Fiber & Straw Products', 'Furniture Manufacturing                                  ', 'Papermaking and Paper Products                           ', 'Printing and Record Medium Reproduction                  ', 'Cultural, Educational and Sports Articles                ', 'Petroleum Processing and Coking                          ', 'Raw Chemical Materials and Chemical Products             ', 'Medical and Pharmaceutical Products                      ', 'Chemical Fiber                                           ', 'Rubber Products                                          ', 'Plastic Products                                         ', 'Nonmetal Mineral Products                                ', 'Smelting and Pressing of Ferrous Metals                  ', 'Smelting and Pressing of Nonferrous Metals               ', 'Metal Products                                           ', 'Ordinary Machinery                                       ', 'Equipment for Special Purposes                           ', 'Transportation Equipment                                 ', 'Electric Equipment and Machinery                         ', 'Electronic and Telecommunications Equipment              ', 'Instruments, Meters, Cultural and Office Machinery         ', 'Other Manufacturing Industry                             ', 'Scrap and waste', 'Production and Supply of Electric Power, Steam and Hot Water   ', 'Production and Supply of Gas                             ', 'Production and Supply of Tap Water                       ', 'Construction                                             ', 'Transportation, Storage, Post and Telecommunication Services    ', 'Wholesale, Retail Trade and Catering Services            ', 'Others                                                   ', 'Urban', 'Rural']
SHEET_ORDER = ['Shanghai', 'Yunnan', 'InnerMongolia', 'Beijing', 'Jilin', 'Sichuan', 'Tianjin', 'Ningxia', 'Anhui', 'Shandong', 'Shanxi', 'Guangdong', 'Guangxi', 'Xinjiang', 'Jiangsu', 'Jiangxi', 'Hebei', 'Henan', 'Zhejiang', 'Hainan', 'Hubei', 'Hunan', 'Gansu', 'Fujian', 'Guizhou', 'Liaoning', 'Chongqing', 'Shaanxi', 'Qinghai', 'Heilongjiang']
NOTE_LABELS = ['Introduction/简介', 'Content/内容', 'Type/类型', 'Timeseries/时间序列', 'Unit/单位', '', '', 'Reference/数据引用', '', '', '', 'Data download/数据下载', '', '', 'Contacts/联系方式', 'Conditions of data use/使用说明']
HEADER_2018 = ['Emission_Inventory', 'Raw_Coal', 'CleanedCoal', 'Other_Washed_Coal', 'Briquettes', 'Coke', 'Coke_Oven_Gas', 'Other_Gas', 'Other_Coking_Products', 'Crude_Oil', 'Gasoline', 'Kerosene', 'Diesel_Oil', 'Fuel_Oil', 'LPG', 'Refinery_Gas', 'Other_Petroleum_Products', 'Natural_Gas', 'Scope_2_Heat', 'Scope_2_Electricity', 'Other_Energy', 'Process', 'Scope_1_Total']
UNIT_LABEL_2018 = 'unit'
ROW_LABELS_2018 = ['TotalEmissions', 'Farming, Forestry, Animal Husbandry, Fishery and Water Conservancy', 'Coal Mining and Dressing', 'Petroleum and Natural Gas Extraction', 'Ferrous Metals Mining and Dressing', 'Nonferrous Metals Mining and Dressing', 'Nonmetal Minerals Mining and Dressing', 'Other Minerals Mining and Dressing', 'Logging and Transport of Wood and Bamboo', 'Food Processing', 'Food Production', 'Beverage Production', 'Tobacco Processing', 'Textile Industry', 'Garments and Other Fiber Products', 'Leather, Furs, Down and Related Products', 'Timber Processing, Bamboo, Cane, Palm Fiber & Straw Products', 'Furniture Manufacturing', 'Papermaking and Paper Products', 'Printing and Record Medium Reproduction', 'Cultural, Educational and Sports Articles', 'Petroleum Processing and Coking', 'Raw Chemical Materials and Chemical Products', 'Medical and Pharmaceutical Products', 'Chemical Fiber', 'Rubber Products', 'Plastic Products', 'Nonmetal Mineral Products', 'Smelting and Pressing of Ferrous Metals', 'Smelting and Pressing of Nonferrous Metals', 'Metal Products', 'Ordinary Machinery', 'Equipment for Special Purposes', 'Transportation Equipment', 'Electric Equipment and Machinery', 'Electronic and Telecommunications Equipment', 'Instruments, Meters, Cultural and Office Machinery', 'Other Manufacturing Industry', 'Scrap and waste', 'Production and Supply of Electric Power, Steam and Hot Water', 'Production and Supply of Gas', 'Production and Supply of Tap Water', 'Construction', 'Transportation, Storage, Post and Telecommunication Services', 'Wholesale, Retail Trade and Catering Services', 'Others', 'Urban', 'Rural']
# fmt: on

NEW_INVENTORY_VINTAGE_FROM = 2018


def inventory_layout(year: int) -> tuple[list, str, list]:
    """(header row, unit-row column-A label, row labels) of the inventory sheets of a year."""
    if year >= NEW_INVENTORY_VINTAGE_FROM:
        return HEADER_2018, UNIT_LABEL_2018, ROW_LABELS_2018
    return HEADER_2010, UNIT_LABEL_2010, ROW_LABELS_2010


FINAL_USE_ITEMS = [("农村居民消费", "FU101"), ("城镇居民消费", "FU102"), ("政府消费", "FU103"),
                   ("固定资本形成总额", "FU201"), ("存货增加", "FU202")]
EXPORT_ITEM = ("出口", "EX")
OTHER_ITEM = ("其他", "OT")
TOTAL_OUTPUT_ITEM = ("总产出", "TO")
VALUE_ADDED_ITEMS = ["劳动者报酬", "生产税净额", "固定资产折旧", "营业盈余"]
IMPORT_ITEM = "进口"
# the 30-sector tables split the imports into these two rows
IMPORT_INTERMEDIATE_ITEM = "进口（中间使用）"
IMPORT_FINAL_ITEM = "进口（最终使用）"
TOTAL_VALUE_ADDED_ITEM = "增加值合计"
TOTAL_INPUT_ITEM = "总投入"

EORA_FD_CATEGORIES = ["Household final consumption P.3h",
                      "Non-profit institutions serving households P.3n",
                      "Government final consumption P.3g",
                      "Gross fixed capital formation P.51",
                      "Changes in inventories P.52",
                      "Acquisitions less disposals of valuables P.53"]
EORA_VA_ITEMS = ["Compensation of employees D.1", "Taxes on production D.29",
                 "Subsidies on production D.39", "Net operating surplus B.2n",
                 "Net mixed income B.3n", "Consumption of fixed capital K.1"]
# the satellite block (labels_Q) of each Eora26 release: greentrade.demo.eora_releases

ECB_CURRENCIES = ["USD", "JPY", "GBP", "KRW", "AUD", "CNY", "IDR", "INR", "MYR", "PHP",
                  "SGD", "THB"]
EUA_COLUMNS = ["datetime", "open", "high", "low", "settle", "change", "wave", "volume",
               "prev_day_open_interest", "efp_volume", "efs_volume", "block_volume", "close"]
